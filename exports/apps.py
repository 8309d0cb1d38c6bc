from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_object_type_label

        register_object_type_label("data_export", _("Download van al uw gegevens"))

        from exports.parts import register_builtin_parts

        register_builtin_parts()

        from exports import retention

        retention.register()  # exports for the retention engine
