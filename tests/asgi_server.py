"""A real ASGI server (Daphne) in a child process, for socket and browser
tests that need WebSockets. pytest-django's live_server speaks WSGI only.

The child is forked from the test process, so it uses the same (file-based)
test database; it drops the connections it inherited and gets a fresh
thread for ``database_sync_to_async``, or that can hang after earlier
asyncio tests in the parent.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import Client

from accounts.models import User

_inherited: list[Any] = []

# Browser tests allow synchronous ORM calls beside Playwright's event loop
# (tests/browser/conftest.py). The server must not inherit that: its
# consumers run in an event loop, and a synchronous ORM call there is a bug
# that Django's guard has to catch, as in production.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class AsgiServer:
    def __init__(self, **settings_overrides: Any) -> None:
        from daphne.testing import DaphneProcess

        # The port is chosen here, not by the server, so that the page origin
        # of this server can be allowed for WebSockets before it starts
        # (samenspraak/websocket_origin.py compares scheme, host and port).
        port = _free_port()
        self.overrides = {"WEBSOCKET_EXTRA_ORIGINS": [f"http://127.0.0.1:{port}"], **settings_overrides}
        self.process = DaphneProcess("127.0.0.1", self._application, setup=self._setup, port=port)

    @staticmethod
    def _application() -> Any:
        from samenspraak.asgi import application

        return application

    def _setup(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from asgiref.sync import SyncToAsync
        from django.conf import settings
        from django.db import connections

        # The inherited connections belong to the parent: forget them without
        # closing (closing would end the parent's session on PostgreSQL).
        for connection in connections.all(initialized_only=True):
            _inherited.append(connection.connection)
            connection.connection = None
        SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
        os.environ.pop(ASYNC_UNSAFE, None)
        for name, value in self.overrides.items():
            setattr(settings, name, value)

    def start(self) -> str:
        from django.db import connections

        # Nothing open to hand down to the child (tests using this server
        # run with transaction=True, so everything is committed).
        connections.close_all()
        # Fork without the allowance (see ASYNC_UNSAFE), then restore it for
        # the parent's own test.
        allowance = os.environ.pop(ASYNC_UNSAFE, None)
        try:
            self.process.start()
        finally:
            if allowance is not None:
                os.environ[ASYNC_UNSAFE] = allowance
        if not self.process.ready.wait(timeout=20):
            raise RuntimeError("The ASGI test server did not start.")
        return f"127.0.0.1:{self.process.port.value}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(timeout=10)


@contextmanager
def asgi_server(**settings_overrides: Any) -> Iterator[str]:
    server = AsgiServer(**settings_overrides)
    address = server.start()
    try:
        yield address
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def session_cookie(user: User) -> str:
    """A real signed-in session (stored in the database) for ``user``."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return f"sessionid={client.cookies['sessionid'].value}"
