"""Worker processes like gunicorn's, for tests of state that must be shared.

``WorkerPool(4)`` forks four processes after Django is set up, the way
``gunicorn -w 4`` forks its workers: each has its own memory (a local-memory
cache would be its own) and its own database connection. A test hands each
request to a chosen worker, so it knows exactly which process answered.
Requests go through the whole Django stack (middleware, allauth, views)
with Django's test client inside the worker. Only for tests that use
``transactional_db``: the workers see committed rows only.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from django.db import connections
from django.test import Client


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    signed_in_user_id: str | None


def _serve(conn: Connection) -> None:
    try:
        while True:
            command = conn.recv()
            if command is None:
                break
            kind, payload = command
            try:
                if kind == "post":
                    path, data, address = payload
                    client = Client(REMOTE_ADDR=address)
                    response = client.post(path, data)
                    result: Any = Answer(
                        response.status_code, response.content.decode(), client.session.get("_auth_user_id")
                    )
                else:
                    function, args = payload
                    result = function(*args)
                conn.send(("ok", result))
            except Exception:  # reported to the test in the parent
                conn.send(("error", traceback.format_exc()))
    finally:
        connections.close_all()
        # Leave without pytest's or Django's exit handlers: they belong to the parent.
        os._exit(0)


class WorkerPool:
    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("fork")
        # Nothing open is handed down: each worker opens its own connection.
        connections.close_all()
        self.pipes: list[Connection] = []
        self.processes = []
        for _ in range(size):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_serve, args=(child_end,), daemon=True)
            process.start()
            self.pipes.append(parent_end)
            self.processes.append(process)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.pipes)

    def _ask(self, worker: int, command: tuple[str, Any]) -> Any:
        self.pipes[worker].send(command)
        return self.result(worker)

    def post(self, worker: int, path: str, data: dict[str, str], *, address: str) -> Answer:
        return self._ask(worker, ("post", (path, data, address)))  # type: ignore[no-any-return]

    def call(self, worker: int, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function(*args)`` in the worker (a module-level function)."""
        return self._ask(worker, ("call", (function, args)))

    def start_call(self, worker: int, function: Callable[..., Any], *args: Any) -> None:
        """Start ``function(*args)`` in the worker without waiting; ``result`` collects it."""
        self.pipes[worker].send(("call", (function, args)))

    def result(self, worker: int) -> Any:
        pipe = self.pipes[worker]
        if not pipe.poll(60):
            raise TimeoutError(f"worker {worker} did not answer")
        status, result = pipe.recv()
        if status == "error":
            raise AssertionError(f"worker {worker} failed:\n{result}")
        return result

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
