from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from diary.reminders import diary_reminders_send

LOOP_SECONDS = 60


class Command(BaseCommand):
    help = "Send the daily diary reminders that are due (run every few minutes, or once with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, every minute (beside make run)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent = diary_reminders_send()
            self.stdout.write(f"{sent} reminder(s) sent")
            if not options["loop"]:
                return
            time.sleep(LOOP_SECONDS)
