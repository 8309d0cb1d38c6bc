from django.apps import AppConfig

# Readable names in the access log for the privacy officer; the test of the
# access-log labels fails on an object type without one.
OBJECT_TYPE_LABELS: dict[str, object] = {}


class PreparationConfig(AppConfig):
    """Preparation guides: a checklist with notes and documents per item (issue 12)."""

    name = "preparation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label

        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
