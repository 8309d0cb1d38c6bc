"""Tasks used by the task-queue tests (importable by module path, as a
worker in another process would import them)."""

from __future__ import annotations

from django.core.cache import cache
from django.tasks import task


@task
def remember(*, key: str, value: str) -> None:
    cache.set(key, value, timeout=60)


@task
def always_fails(*, reason: str) -> None:
    raise RuntimeError(reason)
