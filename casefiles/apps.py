from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "casefiles"
    default_auto_field = "django.db.models.BigAutoField"
