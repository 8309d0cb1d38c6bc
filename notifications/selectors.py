"""What a person wants to be told, as rules the notifiers can ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import CLIENT_ROLES, User
from notifications.models import (
    DEFAULT_QUIET_FROM,
    DEFAULT_QUIET_UNTIL,
    Channel,
    Event,
    NotificationPreference,
    PushSubscription,
)
from samenspraak import sms

RESIDENT_EVENTS = (Event.MESSAGES, Event.APPOINTMENTS, Event.CASEFILE, Event.DIARY_REMINDER)
STAFF_EVENTS = (Event.MESSAGES, Event.APPOINTMENTS, Event.CONSULTATION)


@dataclass(frozen=True)
class Preferences:
    """A person's rules: per event the channels it may use, and quiet hours
    (both ``None``: none). An event not in ``channels`` uses every channel."""

    channels: dict[str, frozenset[str]]
    quiet_from: time | None
    quiet_until: time | None

    def allows(self, *, event: str | None, channel: str) -> bool:
        if event is None or event not in self.channels:
            return True
        return channel in self.channels[event]

    def is_quiet(self, moment: datetime) -> bool:
        """Whether ``moment`` (aware) falls in the quiet hours, in local time;
        a span like 22:00-08:00 crosses midnight."""
        if self.quiet_from is None or self.quiet_until is None or self.quiet_from == self.quiet_until:
            return False
        now = timezone.localtime(moment).time()
        if self.quiet_from < self.quiet_until:
            return self.quiet_from <= now < self.quiet_until
        return now >= self.quiet_from or now < self.quiet_until


def default_quiet_hours(user: User) -> tuple[time | None, time | None]:
    """Residents and the people they trust get a quiet night; staff choose
    their own (someone on duty may want to know)."""
    if user.role in CLIENT_ROLES:
        return DEFAULT_QUIET_FROM, DEFAULT_QUIET_UNTIL
    return None, None


def preference_get(*, user: User) -> Preferences:
    """The person's rules; without a stored row the defaults, which are the
    behaviour from before preferences existed: every event on every channel
    that reaches the person (e-mail when they have an address, SMS when it
    is configured, push when a device subscribed)."""
    row = NotificationPreference.objects.filter(user=user).first()
    if row is None:
        quiet_from, quiet_until = default_quiet_hours(user)
        return Preferences(channels={}, quiet_from=quiet_from, quiet_until=quiet_until)
    channels = {
        str(event): frozenset(str(c) for c in chosen if c in Channel.values)
        for event, chosen in row.channels.items()
        if event in Event.values and isinstance(chosen, list)
    }
    return Preferences(channels=channels, quiet_from=row.quiet_from, quiet_until=row.quiet_until)


def events_for(user: User) -> tuple[Event, ...]:
    """The kinds of news a person can get, by role."""
    return RESIDENT_EVENTS if user.role in CLIENT_ROLES else STAFF_EVENTS


def channels_available() -> tuple[Channel, ...]:
    """The channels this installation has: SMS only with an SMS backend."""
    if sms.is_enabled():
        return (Channel.PUSH, Channel.EMAIL, Channel.SMS)
    return (Channel.PUSH, Channel.EMAIL)


def push_subscription_list(*, user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)
