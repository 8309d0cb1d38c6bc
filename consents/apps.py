from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE_LABELS = {
    "consent_record": _("Toestemming (register)"),
}


class ConsentsConfig(AppConfig):
    name = "consents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label

        # Readable names in the access log for the privacy officer.
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
