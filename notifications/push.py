"""The push channel: Web Push (RFC 8030) with VAPID (RFC 8292), payload
encrypted for the browser (RFC 8291, ``aes128gcm``) by ``pywebpush``.

A push carries no content: the same title, one sentence naming the
organisation, and the start page. Never a subject, a name or a text, since a
lock screen shows it to whoever holds the phone. Inside the person's quiet
hours a push is skipped, not deferred (the task queue cannot schedule): the
news waits on the start page and in the other channels.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from accounts.models import User
from notifications.models import PushSubscription
from notifications.selectors import preference_get, push_subscription_list
from notifications.services import push_subscription_gone, push_subscription_reached
from notifications.vapid import vapid_key
from samenspraak.notify import Notification

logger = logging.getLogger(__name__)

# How long a push service keeps a push for a device that is off (seconds).
PUSH_TTL = 24 * 3600
PUSH_TIMEOUT_SECONDS = 10
# The push service answers these when the subscription no longer exists.
GONE_STATUSES = frozenset({404, 410})


class PushFailed(Exception):
    """No device was reached and at least one push service refused or failed."""


def push_payload(user: User) -> dict[str, str]:
    """Everything a push says. Nothing about what is new."""
    organisation = getattr(user.organisation, "name", "") or "Samenspraak"
    return {
        "title": "Samenspraak",
        "body": _("Er is iets nieuws voor u bij %(organisation)s") % {"organisation": organisation},
        "url": "/",
    }


def push_send(*, subscription: PushSubscription, payload: dict[str, str]) -> None:
    """Send one push; raises ``WebPushException`` or a ``requests`` error.
    The claims are built per push: pywebpush fills in the audience (the push
    service's origin) in the dictionary it gets."""
    claims: dict[str, Any] = {"sub": settings.VAPID_SUBJECT}
    webpush(
        subscription_info={
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=json.dumps(payload, ensure_ascii=False),
        vapid_private_key=vapid_key(),
        vapid_claims=claims,
        timeout=PUSH_TIMEOUT_SECONDS,
        ttl=PUSH_TTL,
    )


def _status_of(error: WebPushException) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


class PushNotifier:
    """Push to every device the person switched push on for. A device the
    push service reports gone is removed; one device failing does not stop
    the others. Raises ``PushFailed`` only when no device was reached and
    one failed (the caller may retry)."""

    channel = "push"

    def send(self, *, user: User, notification: Notification) -> bool:
        subscriptions = list(push_subscription_list(user=user))
        if not subscriptions:
            return False
        if preference_get(user=user).is_quiet(timezone.now()):
            return False
        payload = push_payload(user)
        reached = False
        failures: list[str] = []
        for subscription in subscriptions:
            try:
                push_send(subscription=subscription, payload=payload)
            except WebPushException as error:
                status = _status_of(error)
                if status in GONE_STATUSES:
                    push_subscription_gone(subscription=subscription)
                else:
                    failures.append(f"status {status}")
            except requests.RequestException as error:
                failures.append(type(error).__name__)
            else:
                push_subscription_reached(subscription=subscription)
                reached = True
        if failures:
            logger.warning("Push failed for %s of %s devices: %s", len(failures), len(subscriptions), failures)
        if not reached and failures:
            raise PushFailed("; ".join(failures))
        return reached
