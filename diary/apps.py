from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE_LABELS = {
    "diary": _("Dagboek"),
    "diary_entry": _("Activiteit in het dagboek"),
    "diary_comment": _("Opmerking van de coach in het dagboek"),
    "diary_reminder": _("Herinnering voor het dagboek"),
    "diary_print": _("Dagboek om af te drukken"),
}


class DiaryConfig(AppConfig):
    name = "diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from diary import retention, timeline_kinds

        timeline_kinds.register()
        retention.register()  # the diary for the retention engine
        # Readable names in the access log for the privacy officer.
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
