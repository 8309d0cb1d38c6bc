from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from organisations.services import caseload_follow_invitation, consent_handlers_register
        from samenspraak import hooks

        # A resident invited by a worker is on that worker's caseload.
        hooks.hook_register(hooks.RESIDENT_INVITED, caseload_follow_invitation, order=10)
        # Withdrawing a trusted person's access from the consent register revokes the grant.
        consent_handlers_register()
