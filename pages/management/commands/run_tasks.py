from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.tasks import task_backends

from samenspraak.task_queue import RedisQueueBackend

logger = logging.getLogger(__name__)

# Work planned in the database (appointment reminders) is checked this often.
DUE_WORK_SECONDS = 30


def due_work_run() -> None:
    """One pass over work that is due by the clock, not by a queued job."""
    from appointments.tasks import appointment_notices_send

    try:
        appointment_notices_send.call()
    except Exception:
        logger.exception("Sending due appointment notices failed")
    from feedback.services import feedback_offers_create

    try:
        feedback_offers_create()
    except Exception:
        logger.exception("Offering experience surveys failed")


class Command(BaseCommand):
    help = (
        "Run queued background tasks (only needed with REDIS_URL; otherwise tasks run in-process). "
        "Also sends due appointment notices every 30 seconds (not with --burst)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default")
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends["default"]
        if not isinstance(backend, RedisQueueBackend):
            raise CommandError("Tasks run in-process with this configuration; set REDIS_URL to use a worker.")
        queue = options["queue"]
        requeued = backend.requeue_abandoned(queue)
        if requeued:
            self.stdout.write(f"Put {requeued} unfinished job(s) back on the queue.")
        if options["burst"]:
            self.stdout.write(f"Ran {backend.run_until_empty(queue)} job(s).")
            return
        self.stdout.write(f"Waiting for tasks on queue {queue!r}…")
        next_due_run = 0.0
        while True:
            if time.monotonic() >= next_due_run:
                close_old_connections()
                due_work_run()
                next_due_run = time.monotonic() + DUE_WORK_SECONDS
            backend.run_next(queue, timeout=5)
