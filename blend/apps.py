from django.apps import AppConfig


class BlendConfig(AppConfig):
    name = "blend"
    default_auto_field = "django.db.models.BigAutoField"
