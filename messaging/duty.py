"""Who answers the consultation hour now, and telling them when the queue
changes. Kept apart from ``consultation`` (which writes through the
services) so that services and selectors can use it without an import
cycle."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts.models import CASEWORK_ROLES, User
from messaging.models import ConsultationHour
from organisations.models import Organisation
from samenspraak.attention import attention_changed


def window_now(*, organisation: Organisation, now: datetime | None = None) -> ConsultationHour | None:
    local = timezone.localtime(now or timezone.now())
    return (
        ConsultationHour.objects.filter(
            organisation=organisation, weekday=local.weekday(), starts_at__lte=local.time(), ends_at__gt=local.time()
        )
        .order_by("starts_at")
        .first()
    )


def workers_on_duty(*, organisation: Organisation, now: datetime | None = None) -> list[User]:
    window = window_now(organisation=organisation, now=now)
    if window is None:
        return []
    return list(window.on_duty.filter(is_active=True, role__in=CASEWORK_ROLES))


def is_on_duty(*, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` answers the consultation hour right now (one query)."""
    if user.role not in CASEWORK_ROLES or user.organisation_id is None:
        return False
    local = timezone.localtime(now or timezone.now())
    return ConsultationHour.objects.filter(
        organisation_id=user.organisation_id,
        weekday=local.weekday(),
        starts_at__lte=local.time(),
        ends_at__gt=local.time(),
        on_duty=user,
    ).exists()


def queue_changed(*, organisation_id: int) -> None:
    """The queue of ``organisation_id`` changed (a visitor joined, asked the
    first question, left or was picked up): after commit the open pages of
    the workers on duty get fresh counts, and their queue page reloads its
    list (static/js/queue.js)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    attention_changed(workers_on_duty(organisation=organisation))
