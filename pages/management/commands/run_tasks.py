from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import task_backends

from samenspraak.task_queue import RedisQueueBackend


class Command(BaseCommand):
    help = "Run queued background tasks (only needed with REDIS_URL; otherwise tasks run in-process)."

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
        while True:
            backend.run_next(queue, timeout=5)
