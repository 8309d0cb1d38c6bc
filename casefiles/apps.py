from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "casefiles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casefiles import attention, retention, timeline_kinds
        from casefiles.selectors import CASELOAD_COUNTS
        from organisations.caseload import caseload_counts_register

        caseload_counts_register(CASELOAD_COUNTS)
        # Corrections, comments and uploads waiting (samenspraak/attention.py).
        attention.register()
        timeline_kinds.register()
        # Closed case files for the retention engine (samenspraak/retention.py).
        retention.register()
