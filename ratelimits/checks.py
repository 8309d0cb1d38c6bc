"""Refuse to start when rate limits would be counted per process.

With ``gunicorn -w 4`` every worker is a process of its own. A per-process
cache (local memory, dummy) or an in-memory SQLite database would give each
worker its own counters: an attacker gets four times the tries, and the
right password works on one worker while another says "wait". Outside
debug mode start-up fails; in debug mode (one ``runserver`` process) it is
a warning.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "ratelimits.cache.SharedDatabaseCache",
}


def shared_store_problems() -> list[str]:
    """Why the rate-limit store would not be shared by all worker
    processes; empty when it is."""
    problems = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in SHARED_CACHE_BACKENDS:
        problems.append(
            f"The default cache ({backend or 'none'}) is not shared by worker processes, so every "
            "worker would count sign-in attempts on its own. Use REDIS_URL, or leave CACHES to "
            "the settings (the database cache, ratelimits.cache.SharedDatabaseCache)."
        )
    database = settings.DATABASES["default"]
    name = str(database.get("NAME", ""))
    if database.get("ENGINE", "").endswith("sqlite3") and (name in {"", ":memory:"} or "mode=memory" in name):
        problems.append(
            "The SQLite database is in memory, so every worker process would have its own rate-limit "
            "counters. Set SQLITE_PATH to a file (all workers on one machine share it) or use DATABASE_URL."
        )
    return problems


def check_shared_store(**kwargs: Any) -> list[checks.CheckMessage]:
    level = checks.Warning if settings.DEBUG else checks.Error
    return [level(problem, id="ratelimits.E001") for problem in shared_store_problems()]


def register_checks() -> None:
    checks.register(check_shared_store, checks.Tags.security)
    # gunicorn and daphne do not run system checks: fail while loading apps.
    problems = shared_store_problems()
    if problems and not settings.DEBUG:
        raise ImproperlyConfigured("Rate limits need a store shared by all worker processes: " + " ".join(problems))
