"""The pages app's own data: when a resident last saw their news."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NewsSeen(models.Model):
    """Up to when the resident has seen the news on their home page. The
    menu counts what came after ``seen_at``; the page shows what came since
    the session's first look (kept in the session), so a reload within one
    visit still shows the same items."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"News seen {self.user_id}"
