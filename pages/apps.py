from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pages import news

        # The resident's news count in the menu (samenspraak/attention.py).
        news.register()
