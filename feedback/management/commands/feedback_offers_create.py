"""Offer the experience survey after recent contacts (held appointments,
closed consultation-hour chats, finished modules). The offers are rows in
the database and the seven-day rule is kept there, so running this often,
or on two machines at once, offers nothing twice. ``--loop`` repeats every
five minutes until stopped; the task worker (``run_tasks``) also runs it."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from feedback.services import feedback_offers_create

logger = logging.getLogger(__name__)

LOOP_SECONDS = 300


class Command(BaseCommand):
    help = "Offer the experience survey after recent contacts; --loop repeats every five minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Repeat every five minutes until stopped.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            self.stdout.write(f"Offered {feedback_offers_create()} survey(s).")
            return
        try:
            while True:
                close_old_connections()
                try:
                    feedback_offers_create()
                except Exception:
                    logger.exception("Offering experience surveys failed")
                time.sleep(LOOP_SECONDS)
        except KeyboardInterrupt:
            return
