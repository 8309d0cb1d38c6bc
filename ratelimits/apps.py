from django.apps import AppConfig


class RateLimitsConfig(AppConfig):
    """The shared store behind every rate limit (platform core: imports no
    capability app)."""

    name = "ratelimits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ratelimits.checks import register_checks

        register_checks()
