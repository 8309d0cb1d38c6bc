from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from messaging import services
        from samenspraak import hooks

        # Chat memberships follow the caseload; group names follow the
        # resident's chosen name (samenspraak/hooks.py).
        hooks.hook_register(hooks.CASELOAD_CHANGED, services.memberships_follow_caseload, order=10)
        hooks.hook_register(hooks.RESIDENT_NAME_CHANGED, services.memberships_follow_name, order=10)
