from django.apps import AppConfig

# Readable names in the access log for the privacy officer; the test of the
# access-log labels fails on an object type without one.
OBJECT_TYPE_LABELS: dict[str, str] = {}


class BenchmarkConfig(AppConfig):
    """Quarterly figures per organisation against the group, with small cells suppressed (issue 14)."""

    name = "benchmark"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label

        for code, label in OBJECT_TYPE_LABELS.items():
            register_object_type_label(code, label)
