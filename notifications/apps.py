from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Platform core: how a person is told there is something new (their
    channel preferences, push subscriptions) and the installable app."""

    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
