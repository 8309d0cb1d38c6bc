from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from outcomes import timeline_kinds

        timeline_kinds.register()
