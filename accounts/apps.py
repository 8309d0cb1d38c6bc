from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-out, ended sessions and password changes close open sockets
        # (accounts/usersessions.py). Auth signals are the only hook Django
        # and allauth give for these moments.
        from accounts.usersessions import connect_session_hooks
        from samenspraak import hooks, sockets

        connect_session_hooks()
        # Open sockets follow every change of access, after the capabilities
        # have followed it (order 90).
        hooks.hook_register(hooks.CASELOAD_CHANGED, sockets.sockets_follow_caseload, order=90)
        hooks.hook_register(hooks.GRANT_REVOKED, sockets.sockets_follow_grant, order=90)
        hooks.hook_register(hooks.ACCOUNT_CHANGED, sockets.sockets_follow_account, order=90)
