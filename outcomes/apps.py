from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ship(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    # ``migrate`` passes the migration state's models; ``flush`` passes none.
    from django.apps import apps as installed

    from outcomes.shipped import instruments_ship

    instruments_ship(apps or installed)


class OutcomesConfig(AppConfig):
    name = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from outcomes import timeline_kinds

        timeline_kinds.register()
        # Reference data, like content types: back after a flush.
        post_migrate.connect(_ship, sender=self)
