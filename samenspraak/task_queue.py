"""A task backend for Django's tasks framework that queues work in Redis.

Chosen by ``REDIS_URL``; without it tasks run in-process (Django's
ImmediateBackend). ``manage.py run_tasks`` is the worker.

Reliability: a worker moves a job atomically from the queue to its own
"processing" list (BLMOVE) and removes it only after the job ran, so a job
whose worker died is put back on the queue when a worker starts
(``requeue_abandoned``). A job that fails is kept in a "failed" list with
its error, never silently dropped. Tasks must therefore be safe to run twice.
"""

from __future__ import annotations

import json
import logging
import socket
import traceback
from typing import Any

import redis
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def _key(prefix: str, queue: str, part: str) -> str:
    return f"{prefix}:tasks:{queue}:{part}"


class RedisQueueBackend(BaseTaskBackend):
    supports_priority = False
    supports_defer = False
    supports_get_result = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        options = params.get("OPTIONS", {})
        self.url: str = options["url"]
        self.prefix: str = options.get("prefix", "samenspraak")
        self._client: redis.Redis | None = None

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            # A read timeout longer than the blocking BLMOVE (5 s in run_tasks),
            # so an empty queue never looks like a broken connection.
            self._client = redis.Redis.from_url(self.url, decode_responses=True, socket_timeout=30)
        return self._client

    def enqueue(self, task: Task, args: list[Any], kwargs: dict[str, Any]) -> TaskResult:
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        job = {
            "id": result.id,
            "task": task.module_path,
            "args": result.args,
            "kwargs": result.kwargs,
            "enqueued_at": result.enqueued_at.isoformat() if result.enqueued_at else None,
        }
        self.client.rpush(_key(self.prefix, task.queue_name, "ready"), json.dumps(job))
        return result

    # --- worker side ---------------------------------------------------------

    def requeue_abandoned(self, queue: str) -> int:
        """Put jobs of dead workers back on the queue (run at worker start;
        run one worker per queue, or give each a stable name)."""
        moved = 0
        processing = _key(self.prefix, queue, "processing")
        while self.client.lmove(processing, _key(self.prefix, queue, "ready"), "RIGHT", "LEFT"):
            moved += 1
        return moved

    def run_next(self, queue: str, *, timeout: int = 0) -> bool:
        """Run one job; False when the queue stayed empty for ``timeout`` s
        (0 means: do not wait)."""
        ready = _key(self.prefix, queue, "ready")
        processing = _key(self.prefix, queue, "processing")
        if timeout:
            raw = self.client.blmove(ready, processing, timeout, "LEFT", "RIGHT")
        else:
            raw = self.client.lmove(ready, processing, "LEFT", "RIGHT")
        if raw is None:
            return False
        job = json.loads(raw)
        try:
            task: Task = import_string(job["task"])
            task.call(*job["args"], **job["kwargs"])
        except Exception as error:
            logger.exception("Task %s (%s) failed", job["task"], job["id"])
            job["error"] = f"{type(error).__name__}: {error}"
            job["traceback"] = traceback.format_exc()
            job["worker"] = socket.gethostname()
            self.client.rpush(_key(self.prefix, queue, "failed"), json.dumps(job))
        self.client.lrem(processing, 1, str(raw))
        return True

    def run_until_empty(self, queue: str = "default") -> int:
        count = 0
        while self.run_next(queue):
            count += 1
        return count

    def pending_count(self, queue: str = "default") -> int:
        return int(self.client.llen(_key(self.prefix, queue, "ready")))

    def failed_jobs(self, queue: str = "default") -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in self.client.lrange(_key(self.prefix, queue, "failed"), 0, -1)]
