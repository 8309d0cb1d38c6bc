from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE_LABELS = {
    "outcomes": _("Metingen en voortgang"),
    "outcomes_caseload": _("Voortgang van een caseload (totalen)"),
    "measurement": _("Meting (ZRM of zelfinschatting)"),
    "indicator_texts": _("Indicatoren van de ZRM"),
    "instrument": _("Vragenlijst van de organisatie (bouwer)"),
}


def _ship(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    # ``migrate`` passes the migration state's models; ``flush`` passes none.
    from django.apps import apps as installed

    from outcomes.shipped import instruments_ship

    instruments_ship(apps or installed)


class OutcomesConfig(AppConfig):
    name = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from outcomes import timeline_kinds

        timeline_kinds.register()
        # Readable names in the access log for the privacy officer.
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
        # Reference data, like content types: back after a flush.
        post_migrate.connect(_ship, sender=self)
