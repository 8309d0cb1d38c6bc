"""Django's database cache, made fit to hold rate limits for all processes.

allauth's rate limits (sign-in, password reset, activation) and its one-time
TOTP codes rely on ``cache.add`` succeeding for exactly one caller: allauth
takes a lock with it before it reads and writes a counter. Django's
``DatabaseCache.add`` overwrites an expired row with an UPDATE, so two
processes can both "add" the same expired key. Here an expired row is
deleted first and the row is then INSERTed, which the primary key lets only
one process do.

Django culls a full cache table by deleting a third of all rows, live ones
included: a flood of new keys (many user names, many addresses) would then
wipe live counters. Here the table is never culled by size; expired rows
are deleted by ``samenspraak.ratelimit.purge_expired``.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

NEVER_CULL = 2**62


class SharedDatabaseCache(DatabaseCache):
    _table: str

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self._max_entries = NEVER_CULL

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        db_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        now = tz_now().replace(microsecond=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote_name(self._table)} "  # noqa: S608 - names quoted by the backend
                f"WHERE {quote_name('cache_key')} = %s AND {quote_name('expires')} < %s",
                [db_key, connection.ops.adapt_datetimefield_value(now)],
            )
        # No live row is left: the INSERT in "add" mode succeeds for one
        # process only; the others hit the primary key and get False.
        return bool(self._base_set("add", db_key, value, timeout))  # type: ignore[attr-defined]
