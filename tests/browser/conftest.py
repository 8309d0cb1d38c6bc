"""Browser tests: Playwright (sync API) driving Debian's Chromium against
pytest-django's live server, with axe-core checking every page we visit
(see ``tests/browser/helpers.py``).

Playwright's sync API keeps an event loop running in the main thread, so
Django refuses ORM calls from the test body unless we allow them. That is
safe here: the tests touch the ORM only once a page has finished loading,
so never while the live server thread is answering a request.

The allowance (``DJANGO_ALLOW_ASYNC_UNSAFE``) is set around each browser
test's setup, call and teardown, and removed afterwards; never at import: set at import it held for the whole
pytest session, so async tests and the Daphne child processes of the
socket tests ran without Django's guard against synchronous ORM calls in
async code. ``tests/asgi_server.py`` also keeps it from its child.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from conftest import Personas, build_personas
from tests.browser.helpers import used_totp_codes

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test. This runs before the root
    conftest's hook, which sorts browser tests last."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Our people use a Dutch browser in the Netherlands.
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def personas(transactional_db: None) -> Personas:
    """The root personas, created in a transactional database so that the
    live server thread sees them (it does not share the test's transaction)."""
    return build_personas()


@contextmanager
def _orm_allowed() -> Iterator[None]:
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Around each phase of each browser test (hooks of this conftest run for
# this folder only): fixtures of every scope set up and torn down in these
# phases, pytest-django's database flush included, which runs after any
# function-scoped fixture could have undone a monkeypatch.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _orm_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _orm_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    with _orm_allowed():
        return (yield)


@pytest.fixture(autouse=True)
def _forget_used_totp_codes() -> None:
    # The root conftest empties the cache, where allauth keeps used codes.
    used_totp_codes.clear()


@pytest.fixture
def site(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def page(page: Page) -> Page:
    # A slow CI machine should not turn a redirect chain into a flake, but a
    # missing element should still fail within seconds.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page
