"""The shared rate-limit store: windows, clean-up and the start-up check
(docs/security/rate-limits.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from ratelimits.models import CacheEntry, RateCounter
from samenspraak import ratelimit

pytestmark = pytest.mark.django_db


def test_a_key_is_allowed_up_to_its_limit_per_window() -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first_window = [ratelimit.hit("demo", limit=3, window_seconds=60) for _ in range(5)]
        traveller.shift(timedelta(seconds=61))
        second_window = [ratelimit.hit("demo", limit=3, window_seconds=60) for _ in range(2)]

    assert first_window == [True, True, True, False, False]
    assert second_window == [True, True]


def test_keys_are_counted_apart_and_stored_without_names() -> None:
    ratelimit.hit("message-rate:1", limit=1, window_seconds=60)

    assert ratelimit.hit("message-rate:2", limit=1, window_seconds=60)
    assert not RateCounter.objects.filter(key_hash__contains="message").exists()


def test_purge_deletes_ended_windows_and_expired_cache_rows_only() -> None:
    ratelimit.hit("lives-on", limit=5, window_seconds=3600)
    ratelimit.hit("ends-soon", limit=5, window_seconds=60)
    if not settings.REDIS_URL:
        cache.set("cache-lives-on", 1, timeout=3600)
        cache.set("cache-ends-soon", 1, timeout=60)

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        out = StringIO()
        call_command("purge_rate_limits", stdout=out)

        assert ratelimit.count("lives-on") == 1
    assert RateCounter.objects.count() == 1
    if not settings.REDIS_URL:
        assert "2 expired rows deleted." in out.getvalue()
        assert list(CacheEntry.objects.values_list("cache_key", flat=True)) == [":1:cache-lives-on"]


def test_the_cache_add_is_refused_while_a_live_row_exists_and_granted_after_it_expired() -> None:
    # The real clock: Redis expires keys on its own clock, not the test's.
    assert cache.add("lock", 1, timeout=1)
    assert not cache.add("lock", 2, timeout=1)
    time.sleep(2.1)
    assert cache.add("lock", 3, timeout=1)
    assert cache.get("lock") == 3


def _start(**environment: str) -> subprocess.CompletedProcess[str]:
    """Start Django as gunicorn would (production settings, no DEBUG)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_", "DATABASE_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "samenspraak.settings", "DJANGO_SECRET_KEY": "start-up-test", **environment}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_start_up_fails_when_workers_would_count_in_their_own_memory() -> None:
    started = _start(SQLITE_PATH=":memory:")

    assert started.returncode != 0
    assert "Rate limits need a store shared by all worker processes" in started.stderr
    assert "SQLite database is in memory" in started.stderr


def test_start_up_succeeds_with_a_database_file_shared_by_the_workers(tmp_path: Path) -> None:
    started = _start(SQLITE_PATH=str(tmp_path / "samenspraak.sqlite3"))

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "started"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_async_hit_for_sockets_counts_in_the_same_store() -> None:
    answers = [await ratelimit.ahit("call-signal:7", limit=2, window_seconds=10) for _ in range(3)]

    assert answers == [True, True, False]
    assert await ratelimit.ahit("call-signal:7", limit=4, window_seconds=10)
