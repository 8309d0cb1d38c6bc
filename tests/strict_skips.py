"""Unexpected skips fail the run when ``CI_STRICT_SKIPS=1`` (set by .ci/run).

A skipped test is a test that did not run; on CI that must be a choice,
not an accident (gettext not installed, a service not reachable). Each
known skip is listed below with the condition under which it is expected:
the same skip under any other condition, or any skip not listed, turns a
green run red, with the reasons printed in the summary.

Loaded from the root conftest (``pytest_plugins``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

ENV_VAR = "CI_STRICT_SKIPS"


def _database_vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


def _private_storage_is_s3() -> bool:
    from django.conf import settings

    storages: dict[str, Any] = settings.STORAGES
    return "s3" in str(storages["private"]["BACKEND"]).lower()


@dataclass(frozen=True)
class KnownSkip:
    reason: str  # a part of the skip reason, as the test words it
    expected_when: str  # for the failure message
    applies: Callable[[], bool]


KNOWN_SKIPS: tuple[KnownSkip, ...] = (
    KnownSkip("SQLite has no DELETE trigger", "on SQLite", lambda: _database_vendor() == "sqlite"),
    KnownSkip("Exclusion constraints exist on PostgreSQL only", "on SQLite", lambda: _database_vendor() == "sqlite"),
    KnownSkip("needs REDIS_URL", "without REDIS_URL", lambda: not os.environ.get("REDIS_URL")),
    KnownSkip(
        "Redis expires keys on its own clock",
        "with REDIS_URL (time-machine cannot move it)",
        lambda: bool(os.environ.get("REDIS_URL")),
    ),
    KnownSkip("private storage is S3 here", "with S3 private storage", _private_storage_is_s3),
)


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def is_expected(reason: str) -> bool:
    return any(known.reason in reason and known.applies() for known in KNOWN_SKIPS)


class StrictSkips:
    """One per pytest run (a run inside a test gets its own)."""

    def __init__(self) -> None:
        self.unexpected: list[str] = []

    def _record(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        reason = _reason(report)
        if not is_expected(reason):
            self.unexpected.append(f"{report.nodeid}: {reason}")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._record(report)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.unexpected:
            return
        terminalreporter.section(f"unexpected skips ({ENV_VAR}=1)", red=True, bold=True)
        for line in self.unexpected:
            terminalreporter.line(line)
        terminalreporter.line("Allowed skips (tests/strict_skips.py, KNOWN_SKIPS), each only under its condition:")
        for known in KNOWN_SKIPS:
            terminalreporter.line(f"  {known.reason!r} {known.expected_when}")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # Also when nothing else ran (a whole module skipped): exit 5 would
        # say "no tests" rather than what went wrong.
        if self.unexpected and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(ENV_VAR) == "1":
        config.pluginmanager.register(StrictSkips(), "strict-skips")
