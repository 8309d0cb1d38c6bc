"""Rate limits counted in one store shared by every worker process.

``hit(key, limit, window_seconds)`` counts one attempt and says whether it
is within the limit. The count lives in the database (``RateCounter``): one
``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` statement, so concurrent
processes never lose or double an increment, on PostgreSQL and on SQLite.
Windows are fixed: the first hit opens a window of ``window_seconds``; when
it has ended, the next hit opens a new one.

allauth's limits (sign-in, activation, MFA) use Django's default cache,
which is Redis with ``REDIS_URL`` and otherwise a table in the same database
(``ratelimits.cache.SharedDatabaseCache``). See docs/security/rate-limits.md.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from channels.db import database_sync_to_async
from django.db import connections, router
from django.utils import timezone

from ratelimits.models import CacheEntry, RateCounter

# About one hit in this many also deletes ended windows and expired cache
# rows, so the tables stay small without a scheduled job.
PURGE_ONE_IN = 200


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def hit(key: str, limit: int, window_seconds: float) -> bool:
    """Count one attempt for ``key``; True while at most ``limit`` attempts
    fell in the current window (this one included).

    Runs in the caller's transaction when there is one: an attempt in a
    transaction that is rolled back does not count.
    """
    now = timezone.now()
    connection = connections[router.db_for_write(RateCounter)]
    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    key_column, count_column, ends_column = quote("key_hash"), quote("count"), quote("window_ends_at")
    adapt = connection.ops.adapt_datetimefield_value
    now_value = adapt(now)
    sql = (
        f"INSERT INTO {table} ({key_column}, {count_column}, {ends_column}) VALUES (%s, 1, %s) "  # noqa: S608 - quoted names
        f"ON CONFLICT ({key_column}) DO UPDATE SET "
        f"{count_column} = CASE WHEN {table}.{ends_column} <= %s THEN 1 ELSE {table}.{count_column} + 1 END, "
        f"{ends_column} = CASE WHEN {table}.{ends_column} <= %s THEN excluded.{ends_column} "
        f"ELSE {table}.{ends_column} END "
        f"RETURNING {count_column}"
    )
    params = [_key_hash(key), adapt(now + timedelta(seconds=window_seconds)), now_value, now_value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        purge_expired()
    assert row is not None
    return int(row[0]) <= limit


async def ahit(key: str, limit: int, window_seconds: float) -> bool:
    """``hit`` for consumers and other async code."""
    return bool(await database_sync_to_async(hit)(key, limit, window_seconds))


def count(key: str) -> int:
    """Attempts for ``key`` in its current window, without counting one."""
    row = RateCounter.objects.filter(key_hash=_key_hash(key), window_ends_at__gt=timezone.now()).first()
    return row.count if row is not None else 0


def clear(key: str) -> None:
    RateCounter.objects.filter(key_hash=_key_hash(key)).delete()


def purge_expired() -> int:
    """Delete ended windows and expired cache rows; returns how many."""
    now = timezone.now()
    counters, _ = RateCounter.objects.filter(window_ends_at__lte=now).delete()
    entries, _ = CacheEntry.objects.filter(expires__lt=now).delete()
    return counters + entries
