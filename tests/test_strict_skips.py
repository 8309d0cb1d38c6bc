"""With CI_STRICT_SKIPS=1 a skip fails the run unless tests/strict_skips.py
knows it and its condition holds. Each case runs a small pytest of its own
(pytester) with the real plugin."""

from __future__ import annotations

import pytest

from tests.strict_skips import ENV_VAR

GETTEXT_MISSING = """
import pytest

def test_catalogue():
    pytest.skip("msgfmt is not installed (apt-get install gettext)")

def test_other():
    pass
"""

REDIS_ONLY = """
import pytest

def test_queue():
    pytest.skip("needs REDIS_URL: runs the notices through the Redis queue")
"""

MODULE_SKIPPED = """
import pytest

pytest.skip("no browser here", allow_module_level=True)

def test_page():
    pass
"""


def _run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(test_sample=source)
    # Only the plugin under test: the project's other plugins belong to the outer run.
    return pytester.runpytest(
        "-p",
        "tests.strict_skips",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:django",
        "-p",
        "no:playwright",
        "-p",
        "no:asyncio",
        "-rs",
    )


def test_a_missing_gettext_fails_a_strict_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "1")

    result = _run(pytester, GETTEXT_MISSING)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*unexpected skips (CI_STRICT_SKIPS=1)*", "*test_catalogue: msgfmt is not installed*"])


def test_without_the_variable_a_skip_is_only_reported(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)

    assert _run(pytester, GETTEXT_MISSING).ret == pytest.ExitCode.OK


def test_a_known_skip_passes_when_its_condition_holds(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "1")
    monkeypatch.delenv("REDIS_URL", raising=False)

    assert _run(pytester, REDIS_ONLY).ret == pytest.ExitCode.OK


def test_a_known_skip_fails_when_its_condition_does_not_hold(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # REDIS_URL is set, yet the Redis test skipped: something is broken.
    monkeypatch.setenv(ENV_VAR, "1")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")

    assert _run(pytester, REDIS_ONLY).ret == pytest.ExitCode.TESTS_FAILED


def test_a_skipped_module_fails_a_strict_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "1")

    result = _run(pytester, MODULE_SKIPPED)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_sample.py: no browser here*"])
