from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE_LABELS = {
    "feedback_offer": _("Vragen over een contact (ervaring)"),
    "feedback_answer": _("Antwoord op de vragen over een contact"),
    "feedback_preference": _("Keuze: vragen over contact krijgen of niet"),
    "feedback_results": _("Ervaringen per kanaal (overzicht)"),
}


class FeedbackConfig(AppConfig):
    name = "feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from feedback import contacts, retention, timeline_kinds

        contacts.register()
        timeline_kinds.register()
        retention.register()  # the answers for the retention engine
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
