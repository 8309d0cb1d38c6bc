"""Rate limits hold across worker processes (security review, item 3).

Production runs ``gunicorn -w 4``: four processes. These tests fork four
workers (tests/worker_pool.py) and spread requests over them round-robin,
as the kernel spreads connections over gunicorn's workers. A limit kept in
per-process memory lets through up to four times as many attempts; the
shared store (samenspraak/ratelimit.py, the database cache or Redis) lets
through exactly the limit.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.codes import new_activation_code
from accounts.models import Role, User
from blend.services import channel_consent_set
from conftest import Personas
from messaging.models import Conversation
from messaging.services import MessageRateLimited, conversation_direct_open, message_send
from organisations.demo import DEMO_PASSWORD
from ratelimits.cache import SharedDatabaseCache
from samenspraak import ratelimit
from tests.worker_pool import Answer, WorkerPool

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
LOGIN_URL = "/accounts/login/"
WRONG = "De gebruikersnaam of het wachtwoord klopt niet."
THROTTLED = "Er is te vaak een verkeerd wachtwoord getypt."
GUESSER = "203.0.113.7"
OWNER_HOME = "198.51.100.20"
OFFICE_NAT = "192.0.2.44"


def sign_in(pool: WorkerPool, worker: int, username: str, password: str, *, address: str) -> Answer:
    return pool.post(worker, LOGIN_URL, {"login": username, "password": password}, address=address)


def test_twenty_five_wrong_passwords_over_four_workers_are_counted_together(personas: Personas) -> None:
    username = personas.resident.username
    with WorkerPool(WORKERS) as pool:
        answers = [sign_in(pool, i % WORKERS, username, f"fout {i}", address=GUESSER) for i in range(25)]
        checked = sum(WRONG in answer.text for answer in answers)
        throttled = sum(THROTTLED in answer.text for answer in answers)

        assert (checked, throttled) == (5, 20), f"{checked} of 25 wrong passwords were checked"
        # The right password is refused on every worker while the guesser waits.
        for worker in range(WORKERS):
            right = sign_in(pool, worker, username, DEMO_PASSWORD, address=GUESSER)
            assert THROTTLED in right.text
            assert right.signed_in_user_id is None


def test_the_owner_at_another_address_signs_in_while_a_guesser_is_throttled(personas: Personas) -> None:
    username = personas.resident.username
    with WorkerPool(WORKERS) as pool:
        for i in range(25):
            sign_in(pool, i % WORKERS, username, f"fout {i}", address=GUESSER)

        owner = [sign_in(pool, worker, username, DEMO_PASSWORD, address=OWNER_HOME) for worker in range(WORKERS)]

    assert [answer.status for answer in owner] == [302] * WORKERS
    assert {answer.signed_in_user_id for answer in owner} == {str(personas.resident.pk)}


def test_an_office_behind_one_address_is_not_locked_out_by_twenty_typos(personas: Personas) -> None:
    colleagues = [
        User.objects.create_user(
            username=f"bewoner{i:02d}",
            password=DEMO_PASSWORD,
            role=Role.RESIDENT,
            organisation=personas.organisation,
        )
        for i in range(20)
    ]
    with WorkerPool(WORKERS) as pool:
        typos = [
            sign_in(pool, i % WORKERS, user.username, "bijna goed", address=OFFICE_NAT)
            for i, user in enumerate(colleagues)
        ]
        second_tries = [
            sign_in(pool, i % WORKERS, user.username, DEMO_PASSWORD, address=OFFICE_NAT)
            for i, user in enumerate(colleagues)
        ]

    assert all(WRONG in answer.text for answer in typos)
    assert [answer.signed_in_user_id for answer in second_tries] == [str(user.pk) for user in colleagues]


def test_unknown_account_and_wrong_password_get_the_same_answers(personas: Personas) -> None:
    with WorkerPool(WORKERS) as pool:
        known = [sign_in(pool, i % WORKERS, personas.resident.username, "fout", address=GUESSER) for i in range(7)]
        unknown = [sign_in(pool, i % WORKERS, "niemand.bekend", "fout", address=GUESSER) for i in range(7)]

    def shape(answers: list[Answer]) -> list[tuple[int, bool, bool]]:
        return [(answer.status, WRONG in answer.text, THROTTLED in answer.text) for answer in answers]

    assert shape(known) == shape(unknown) == [(200, True, False)] * 5 + [(200, False, True)] * 2


def test_a_guesser_on_many_addresses_is_stopped_but_the_owner_at_home_is_not(personas: Personas) -> None:
    """Beyond RATE_LIMIT_LOGIN_FAILED_ACCOUNT failures of one account (from
    any addresses), only addresses where it signed in before may try."""
    username = personas.resident.username
    limit = settings.RATE_LIMIT_LOGIN_FAILED_ACCOUNT
    with WorkerPool(WORKERS) as pool:
        assert sign_in(pool, 0, username, DEMO_PASSWORD, address=OWNER_HOME).status == 302
        addresses = [f"203.0.113.{n}" for n in range(1, limit // 5 + 1)]
        for n, address in enumerate(addresses):
            for attempt in range(5):
                sign_in(pool, (n + attempt) % WORKERS, username, "fout", address=address)

        stranger = sign_in(pool, 1, username, "nog een gok", address="203.0.113.250")
        owner = sign_in(pool, 2, username, DEMO_PASSWORD, address=OWNER_HOME)

    assert THROTTLED in stranger.text
    assert owner.signed_in_user_id == str(personas.resident.pk)


# --- Activation codes and messages ----------------------------------------------


def test_activation_code_guesses_over_four_workers_are_counted_together(db: None) -> None:
    url = reverse("accounts:activate")
    with WorkerPool(WORKERS) as pool:
        answers = [pool.post(i % WORKERS, url, {"code": new_activation_code()}, address=GUESSER) for i in range(25)]

    checked = sum("Deze code werkt niet." in answer.text for answer in answers)
    throttled = sum("U hebt te vaak een verkeerde code geprobeerd." in answer.text for answer in answers)
    assert (checked, throttled) == (10, 15), f"{checked} of 25 codes were checked"


def _send(conversation_id: int, author_id: int, client_key: str) -> str:
    try:
        message_send(
            conversation=Conversation.objects.get(pk=conversation_id),
            author=User.objects.get(pk=author_id),
            body="Hallo",
            client_key=client_key,
        )
    except MessageRateLimited:
        return "limited"
    return "sent"


def test_messages_over_four_workers_are_counted_together(personas: Personas) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    limit = settings.MESSAGE_RATE_LIMIT
    with WorkerPool(WORKERS) as pool:
        results = [
            pool.call(i % WORKERS, _send, conversation.pk, personas.resident.pk, f"key-{i:05d}")
            for i in range(limit + 10)
        ]

    assert results.count("sent") == limit
    assert results.count("limited") == 10


def _hit_many(key: str, times: int) -> int:
    return sum(ratelimit.hit(key, limit=100, window_seconds=60) for _ in range(times))


def test_concurrent_hits_from_four_workers_let_exactly_the_limit_through(db: None) -> None:
    with WorkerPool(WORKERS) as pool:
        for worker in range(WORKERS):
            pool.start_call(worker, _hit_many, "race", 50)
        allowed = sum(pool.result(worker) for worker in range(WORKERS))

    assert allowed == 100
    assert ratelimit.count("race") == 200


def _database_cache() -> SharedDatabaseCache:
    # The cache without REDIS_URL, also when this run has Redis.
    return SharedDatabaseCache("samenspraak_cache", {})


def _add_each(keys: list[str]) -> list[bool]:
    cache = _database_cache()
    return [cache.add(key, "taken", timeout=60) for key in keys]


def test_only_one_worker_takes_a_lock_whose_old_row_has_expired(db: None) -> None:
    """allauth locks a counter with cache.add; an expired lock row left
    behind (a worker killed mid-request) must still go to one worker only.
    (Django's own DatabaseCache lets two PostgreSQL workers take it.)"""
    keys = [f"lock-{n}" for n in range(300)]
    cache = _database_cache()
    for key in keys:
        cache.set(key, "left behind", timeout=1)
    time.sleep(2.1)
    with WorkerPool(WORKERS) as pool:
        for worker in range(WORKERS):
            pool.start_call(worker, _add_each, keys)
        taken = [pool.result(worker) for worker in range(WORKERS)]

    takers_per_key = [sum(worker_taken[n] for worker_taken in taken) for n in range(len(keys))]
    assert takers_per_key == [1] * len(keys)
