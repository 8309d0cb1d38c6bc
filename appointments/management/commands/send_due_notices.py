"""Send the appointment notices that are due (confirmations, reminders).

The notices are rows in the database, so nothing is lost by a restart: one
pass sends whatever is due. ``--loop`` repeats the pass every 30 seconds
until stopped; ``make run`` starts it beside the development server.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from appointments.tasks import appointment_notices_send

logger = logging.getLogger(__name__)

LOOP_SECONDS = 30


class Command(BaseCommand):
    help = "Send appointment notices that are due; --loop repeats every 30 seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Repeat every 30 seconds until stopped.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            self.stdout.write(f"Sent {appointment_notices_send.call()} appointment notice(s).")
            return
        self.stdout.write(f"Sending due appointment notices every {LOOP_SECONDS} seconds.")
        try:
            while True:
                close_old_connections()
                try:
                    sent = appointment_notices_send.call()
                except Exception:
                    # A database that is briefly away must not end the loop.
                    logger.exception("Sending due appointment notices failed")
                else:
                    if sent:
                        self.stdout.write(f"Sent {sent} appointment notice(s).")
                time.sleep(LOOP_SECONDS)
        except KeyboardInterrupt:
            return
