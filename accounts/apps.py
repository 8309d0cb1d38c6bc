from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-out, ended sessions and password changes close open sockets
        # (accounts/usersessions.py). Auth signals are the only hook Django
        # and allauth give for these moments.
        from accounts.usersessions import connect_session_hooks

        connect_session_hooks()
