from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label
        from privacy import attention
        from privacy.models import OBJECT_TYPE_LABELS

        attention.register()
        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
