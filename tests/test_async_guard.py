"""Django's guard against synchronous ORM calls in async code stays on
outside the browser tests, and always in the ASGI test server's child
process, where consumers run as in production."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import SynchronousOnlyOperation

from accounts.models import User
from tests.asgi_server import ASYNC_UNSAFE, AsgiServer


def test_the_guard_is_on_outside_browser_tests() -> None:
    # The browser conftest is imported at collection of a whole run; it used
    # to switch the guard off for every test from then on.
    assert ASYNC_UNSAFE not in os.environ


def test_a_synchronous_orm_call_in_async_code_is_refused(db: None) -> None:
    async def count_users() -> int:
        return User.objects.count()

    with pytest.raises(SynchronousOnlyOperation):
        async_to_sync(count_users)()


def test_the_asgi_server_child_does_not_inherit_the_browser_tests_allowance(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ASYNC_UNSAFE, "true")  # as during a browser test
    server = AsgiServer()
    child_has_it = multiprocessing.Value("b", 1)
    setup = server.process.setup

    def setup_and_report() -> None:
        setup()
        child_has_it.value = ASYNC_UNSAFE in os.environ

    server.process.setup = setup_and_report
    server.start()
    try:
        assert child_has_it.value == 0
    finally:
        server.stop()
    # The parent's browser test keeps its allowance.
    assert os.environ[ASYNC_UNSAFE] == "true"
