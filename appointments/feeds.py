"""Private calendar feeds: an address a calendar app subscribes to, with the
person's appointments (time, kind, place; never the topic).

Only a SHA-256 hash of the token is stored. The address is shown once; a
new address revokes the old one. Fetching a feed is a read of residents'
data and is written to the access log (once per resident shown), with the
feed's owner as the actor.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.models import HOLDS_TIME, Appointment, AppointmentStatus, CalendarFeed
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record

# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=366)
LAST_USED_EVERY = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_allowed_for(user: User) -> bool:
    """Residents and casework staff have a calendar; trusted persons, admins
    and others do not."""
    return user.is_active and (user.role == Role.RESIDENT or user.role in CASEWORK_ROLES)


# --- Services -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str


@transaction.atomic
def calendar_feed_create(*, user: User) -> NewFeed:
    """A new private address; the current one (if any) stops working.
    The token is returned once and never stored."""
    if not feed_allowed_for(user):
        raise ValueError("This user has no calendar feed.")
    # Lock the person's row so two clicks cannot make two active feeds.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return NewFeed(feed=feed, token=token)


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    """Stop the person's address; returns how many were stopped (0 or 1)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- Selectors ------------------------------------------------------------------------


def calendar_feed_active(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_get_by_token(token: str) -> CalendarFeed | None:
    """The active feed for ``token``, or None for a wrong, revoked or
    malformed token. The lookup is by hash (an attacker cannot steer the
    compared value), and the hash is compared once more in constant time."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = token_hash(token)
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    if not feed_allowed_for(feed.user):
        return None
    return feed


def _feed_appointments(user: User, now: datetime) -> list[Appointment]:
    from samenspraak.policy import residents_for_casework

    window = Q(starts_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_FUTURE)
    shown = Q(status__in=[s.value for s in HOLDS_TIME]) | Q(status=AppointmentStatus.CANCELLED)
    appointments = Appointment.objects.filter(window & shown).select_related("organisation", "location", "resident")
    if user.role == Role.RESIDENT:
        appointments = appointments.filter(resident=user)
    else:
        # A worker's own appointments, with residents they may still see.
        appointments = appointments.filter(worker=user, resident__in=residents_for_casework(user))
    return list(appointments.order_by("starts_at"))


def calendar_feed_read(*, feed: CalendarFeed, now: datetime | None = None) -> list[Appointment]:
    """The appointments shown in ``feed``: from 30 days back to a year
    ahead, those that hold their time or were cancelled. Logs one access
    per resident shown (actor: the feed's owner) and notes the use at
    most once an hour."""
    now = now or timezone.now()
    owner = feed.user
    appointments = _feed_appointments(owner, now)
    residents: dict[int, User] = {}
    for appointment in appointments:
        residents.setdefault(appointment.resident_id, appointment.resident)
    with transaction.atomic():
        access_log_record(
            actor=owner,
            accesses=[
                Access(resident, "calendar_feed", str(feed.pk), AccessLogEntry.Action.LIST)
                for resident in residents.values()
            ],
        )
        CalendarFeed.objects.filter(pk=feed.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
    return appointments
