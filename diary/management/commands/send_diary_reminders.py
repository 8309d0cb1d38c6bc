from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from diary.reminders import diary_reminders_send


class Command(BaseCommand):
    help = "Send the daily diary reminders that are due (run every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = diary_reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent")
