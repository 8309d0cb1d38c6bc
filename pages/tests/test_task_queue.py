"""The Redis-backed task queue (used when REDIS_URL is set), against the real
Redis on loopback. The in-process default is Django's own ImmediateBackend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import task_backends
from django.test import override_settings

from accounts.services import resident_invite
from conftest import Personas
from pages.tests.queue_tasks import always_fails, remember
from samenspraak.task_queue import RedisQueueBackend

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
QUEUE_SETTINGS = {
    "default": {
        "BACKEND": "samenspraak.task_queue.RedisQueueBackend",
        "OPTIONS": {"url": REDIS_TEST_URL, "prefix": "samenspraak-test"},
    }
}


@pytest.fixture
def queue(db: None) -> Iterator[RedisQueueBackend]:
    # The task in pages/tests/queue_tasks.py writes to the cache, a database
    # table without REDIS_URL (docs/security/rate-limits.md).
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.ping()  # Redis runs on every machine of this kind; .ci/run starts it
    client.flushdb()
    with override_settings(TASKS=QUEUE_SETTINGS):
        backend = task_backends["default"]
        assert isinstance(backend, RedisQueueBackend)
        yield backend
    client.flushdb()


def test_a_queued_task_waits_for_the_worker_and_then_runs(queue: RedisQueueBackend) -> None:
    from django.core.cache import cache

    remember.enqueue(key="queue-test", value="ran")
    assert queue.pending_count() == 1
    assert cache.get("queue-test") is None
    assert queue.run_until_empty() == 1
    assert cache.get("queue-test") == "ran"
    assert queue.pending_count() == 0


def test_a_failing_task_is_kept_with_its_error_and_the_worker_goes_on(queue: RedisQueueBackend) -> None:
    from django.core.cache import cache

    always_fails.enqueue(reason="kapot")
    remember.enqueue(key="after-failure", value="still ran")
    assert queue.run_until_empty() == 2
    failed = queue.failed_jobs()
    assert len(failed) == 1
    assert failed[0]["task"].endswith("always_fails")
    assert "kapot" in failed[0]["error"]
    assert cache.get("after-failure") == "still ran"


def test_a_job_of_a_worker_that_died_is_put_back_on_the_queue(queue: RedisQueueBackend) -> None:
    from django.core.cache import cache

    remember.enqueue(key="abandoned", value="recovered")
    # A worker took the job and died before finishing it.
    queue.client.lmove("samenspraak-test:tasks:default:ready", "samenspraak-test:tasks:default:processing")
    assert queue.pending_count() == 0
    assert queue.requeue_abandoned("default") == 1
    queue.run_until_empty()
    assert cache.get("abandoned") == "recovered"


def test_run_tasks_command_runs_the_queue_in_burst_mode(queue: RedisQueueBackend) -> None:
    remember.enqueue(key="burst", value="yes")
    call_command("run_tasks", "--burst")
    assert queue.pending_count() == 0


def test_run_tasks_command_explains_that_in_process_tasks_need_no_worker() -> None:
    with (
        override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}),
        pytest.raises(CommandError, match="in-process"),
    ):
        call_command("run_tasks", "--burst")


def test_invitation_email_is_sent_by_the_worker_after_commit(
    personas: Personas, queue: RedisQueueBackend, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        resident_invite(
            invited_by=personas.worker,
            first_name="Els",
            last_name="Vos",
            email="els.vos@example.invalid",
            phone="",
            channel="email",
        )
    assert mail.outbox == []
    assert queue.run_until_empty() == 1
    assert len(mail.outbox) == 1
    assert "/uitnodiging/" in mail.outbox[0].body
