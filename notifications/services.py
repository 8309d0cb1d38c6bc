"""Changes to a person's notification settings and push subscriptions.

A resident's settings are their data: every change by them is written to
the access log in the same transaction (a staff member's own settings are
not resident data)."""

from __future__ import annotations

import re
from datetime import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from notifications.models import NotificationPreference, PushSubscription

Action = AccessLogEntry.Action

# More than anyone has devices: a bound on the pushes one person's news sends.
MAX_DEVICES_PER_PERSON = 20


class PushSubscriptionError(Exception):
    """A subscription that cannot be stored; the message is for the person."""


# Browser and system names as they appear in a user agent, most specific first
# (Edge and Opera also say "Chrome"; Chrome also says "Safari").
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Chrome op Android": enough to tell one's devices apart, nothing more."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if re.search(re.escape(marker), user_agent)), "")
    if browser and system:
        return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Onbekend apparaat")


def _log_change(user: User, object_id: str) -> None:
    if user.role == Role.RESIDENT:
        access_log_record(actor=user, accesses=[Access(user, "notification_settings", object_id, Action.CHANGE)])


@transaction.atomic
def push_subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str) -> PushSubscription:
    """Store (or renew) this browser's subscription for ``user``. The
    endpoint is locked: a device that was subscribed for someone else (a
    shared computer) now belongs to ``user`` only."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one subscriber at a time per person
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    is_new_for_user = subscription is None or subscription.user_id != user.pk
    if is_new_for_user and PushSubscription.objects.filter(user=user).count() >= MAX_DEVICES_PER_PERSON:
        raise PushSubscriptionError(
            _("U hebt al %(count)s apparaten met meldingen. Verwijder er eerst een.")
            % {"count": MAX_DEVICES_PER_PERSON}
        )
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint)
    subscription.user = user
    subscription.p256dh = p256dh
    subscription.auth = auth
    subscription.device_label = device_label(user_agent)[:80]
    subscription.save()
    _log_change(user, str(subscription.public_id))
    return subscription


@transaction.atomic
def push_subscription_remove(*, user: User, subscription: PushSubscription) -> None:
    """Remove one of ``user``'s own devices (the caller looked it up scoped to ``user``)."""
    assert subscription.user_id == user.pk
    _log_change(user, str(subscription.public_id))
    subscription.delete()


@transaction.atomic
def push_subscription_remove_endpoint(*, user: User, endpoint: str) -> bool:
    """Switch push off for the browser at ``endpoint``, if it is ``user``'s."""
    subscription = PushSubscription.objects.filter(user=user, endpoint=endpoint).first()
    if subscription is None:
        return False
    push_subscription_remove(user=user, subscription=subscription)
    return True


def push_subscription_gone(*, subscription: PushSubscription) -> None:
    """The push service says this subscription no longer exists (404/410):
    the browser unsubscribed or the person removed the app."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()


def push_subscription_reached(*, subscription: PushSubscription) -> None:
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())


@transaction.atomic
def preference_set(
    *, user: User, channels: dict[str, list[str]], quiet_from: time | None, quiet_until: time | None
) -> NotificationPreference:
    """Store the person's choices: per event the channels, and quiet hours."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.channels = {event: sorted(set(chosen)) for event, chosen in channels.items()}
    preference.quiet_from = quiet_from
    preference.quiet_until = quiet_until
    preference.save()
    _log_change(user, "preferences")
    return preference
