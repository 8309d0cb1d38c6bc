"""Tables of the shared rate-limit store.

Both live in the database every worker process uses, so a count made in one
process is seen by all others (docs/security/rate-limits.md).
"""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """One fixed window of hits for one key (``samenspraak.ratelimit.hit``).

    ``key_hash`` is the SHA-256 of the key: the table holds no user names or
    addresses. A row whose window has ended counts as zero and is deleted by
    ``purge_rate_limits``.
    """

    key_hash = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField()
    window_ends_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key_hash[:12]}… {self.count} until {self.window_ends_at:%H:%M:%S}"


class CacheEntry(models.Model):
    """The table of Django's database cache without Redis
    (``ratelimits.cache.SharedDatabaseCache``), with the columns
    ``createcachetable`` would make. As a model it is created by ``migrate``
    and emptied with the other tables when a test database is flushed."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "samenspraak_cache"

    def __str__(self) -> str:
        return self.cache_key
