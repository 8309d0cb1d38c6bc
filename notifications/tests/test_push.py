"""The push channel against a push service on loopback: what arrives is
signed by our VAPID key and, decrypted, says only that there is news."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from conftest import Personas, run_queued_tasks
from messaging.tests.helpers import direct_conversation, say
from notifications.models import PushSubscription
from notifications.push import PushNotifier
from notifications.services import preference_set
from notifications.tests.push_service import Browser, PushService, vapid_claims
from notifications.vapid import vapid_public_key
from samenspraak.notify import Notification, notify, notify_each

AMSTERDAM = timezone.get_default_timezone()
SECRET_SUBJECT = "Uw uitkering is stopgezet"


def at(hour: int) -> datetime:
    return datetime(2026, 12, 2, hour, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def daytime() -> Iterator[None]:
    with time_machine.travel(at(10), tick=False):
        yield


def subscribe(user: User, service: PushService, name: str, browser: Browser) -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=service.endpoint(name), p256dh=browser.p256dh, auth=browser.auth, device_label="Test"
    )


def send_news(user: User) -> int:
    return notify(user=user, subject=SECRET_SUBJECT, template="messaging/email/new_message.txt", event="messages")


def expected_payload(personas: Personas) -> dict[str, str]:
    return {
        "title": "Samenspraak",
        "body": f"Er is iets nieuws voor u bij {personas.organisation.name}",
        "url": "/",
    }


def test_push_arrives_signed_and_encrypted_and_says_only_that_there_is_news(
    personas: Personas, push_service: PushService, daytime: None
) -> None:
    browser = Browser()
    subscription = subscribe(personas.resident, push_service, "fatima-telefoon", browser)

    send_news(personas.resident)

    [received] = push_service.wait_for(1)
    assert received.path == "/push/fatima-telefoon"
    claims, key = vapid_claims(received.headers["authorization"])
    assert key == vapid_public_key()
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == settings.VAPID_SUBJECT
    assert claims["exp"] > timezone.now().timestamp()
    assert int(received.headers["ttl"]) > 0
    plaintext = PushService.decrypt(received, browser)
    assert json.loads(plaintext) == expected_payload(personas)
    text = plaintext.decode()
    for secret in (
        SECRET_SUBJECT,
        personas.resident.first_name,
        personas.resident.last_name,
        personas.worker.last_name,
    ):
        assert secret not in text
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_every_device_of_the_person_gets_the_push(personas: Personas, push_service: PushService, daytime: None) -> None:
    phone, laptop = Browser(), Browser()
    subscribe(personas.resident, push_service, "telefoon", phone)
    subscribe(personas.resident, push_service, "laptop", laptop)
    subscribe(personas.other_resident, push_service, "buurman", Browser())

    assert send_news(personas.resident) == 1  # one channel (push) reached her, on two devices
    received = push_service.wait_for(2)
    assert sorted(r.path for r in received) == ["/push/laptop", "/push/telefoon"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_reports_gone_is_removed(
    personas: Personas, push_service: PushService, daytime: None, status: int
) -> None:
    subscribe(personas.resident, push_service, "weg", Browser())
    push_service.statuses["/push/weg"] = status

    delivery = notify_each(user=personas.resident, notification=Notification("x", "notify/short.txt"))

    assert push_service.wait_for(1)
    assert not PushSubscription.objects.filter(user=personas.resident).exists()
    assert delivery.errors == []
    assert "push" not in delivery.reached


def test_a_failing_push_service_keeps_the_subscription_and_reports_the_failure(
    personas: Personas, push_service: PushService, daytime: None
) -> None:
    subscribe(personas.resident, push_service, "stuk", Browser())
    push_service.statuses["/push/stuk"] = 500

    delivery = notify_each(user=personas.resident, notification=Notification("x", "notify/short.txt"))

    assert PushSubscription.objects.filter(user=personas.resident).exists()
    assert [error.split(":")[0] for error in delivery.errors] == ["push"]


def test_one_device_gone_does_not_stop_the_others(personas: Personas, push_service: PushService, daytime: None) -> None:
    subscribe(personas.resident, push_service, "weg", Browser())
    subscribe(personas.resident, push_service, "goed", Browser())
    push_service.statuses["/push/weg"] = 410

    assert PushNotifier().send(user=personas.resident, notification=Notification("x", "notify/short.txt"))

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [push_service.endpoint("goed")]


def test_no_push_in_the_quiet_hours_but_the_mail_still_goes(
    personas: Personas, push_service: PushService, mailoutbox: list[Any]
) -> None:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    subscribe(personas.resident, push_service, "telefoon", Browser())

    with time_machine.travel(at(23), tick=False):
        send_news(personas.resident)

    assert push_service.received == []
    assert len(mailoutbox) == 1


def test_own_quiet_hours_count_and_none_means_always(personas: Personas, push_service: PushService) -> None:
    subscribe(personas.resident, push_service, "telefoon", Browser())
    preference_set(user=personas.resident, channels={}, quiet_from=None, quiet_until=None)

    with time_machine.travel(at(23), tick=False):
        send_news(personas.resident)

    assert len(push_service.wait_for(1)) == 1


def test_an_event_switched_off_for_push_sends_no_push(
    personas: Personas, push_service: PushService, daytime: None, mailoutbox: list[Any]
) -> None:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    subscribe(personas.resident, push_service, "telefoon", Browser())
    preference_set(
        user=personas.resident,
        channels={"messages": ["email"], "appointments": ["push"]},
        quiet_from=None,
        quiet_until=None,
    )

    send_news(personas.resident)

    assert push_service.received == []
    assert len(mailoutbox) == 1


def test_an_event_switched_off_for_email_sends_no_mail(
    personas: Personas, daytime: None, mailoutbox: list[Any]
) -> None:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    preference_set(user=personas.resident, channels={"messages": []}, quiet_from=None, quiet_until=None)

    assert send_news(personas.resident) == 0
    assert mailoutbox == []
    # Without an event (a caller that names none) every channel is used.
    notify(user=personas.resident, subject="x", template="messaging/email/new_message.txt")
    assert len(mailoutbox) == 1


def test_a_new_message_reaches_a_resident_without_email_by_push_only(
    personas: Personas,
    push_service: PushService,
    daytime: None,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    assert personas.resident.email == ""
    browser = Browser()
    subscribe(personas.resident, push_service, "telefoon", browser)
    conversation = direct_conversation(personas.resident, personas.worker)

    with django_capture_on_commit_callbacks(execute=True):
        say(conversation, personas.worker, "Uw aanvraag bij de gemeente is afgewezen")
    run_queued_tasks()

    [received] = push_service.wait_for(1)
    plaintext = PushService.decrypt(received, browser).decode()
    assert json.loads(plaintext) == expected_payload(personas)
    assert "afgewezen" not in plaintext
    assert mailoutbox == []
