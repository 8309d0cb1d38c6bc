from django.apps import AppConfig


class BlendConfig(AppConfig):
    name = "blend"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from blend import attention, timeline_kinds
        from blend.selectors import CASELOAD_COUNTS
        from organisations.caseload import caseload_counts_register

        caseload_counts_register(CASELOAD_COUNTS)
        # Reviews due this week (samenspraak/attention.py).
        attention.register()
        timeline_kinds.register()
        # Withdrawing from the consent register goes through channel_consent_set.
        from blend.services import consent_handlers_register

        consent_handlers_register()
