"""Reads of the access log, scoped to what the reader may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import STAFF_ROLES, User
from audit.models import AccessLogEntry


def access_log_search(
    *,
    privacy_officer: User,
    subject: User | None = None,
    actor: User | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessLogEntry]:
    """Entries of the privacy officer's own organisation, newest first."""
    if privacy_officer.organisation_id is None:
        return AccessLogEntry.objects.none()
    entries = AccessLogEntry.objects.filter(organisation_id=privacy_officer.organisation_id).select_related(
        "subject", "actor_organisation"
    )
    if subject is not None:
        entries = entries.filter(subject=subject)
    if actor is not None:
        entries = entries.filter(actor=actor)
    tz = timezone.get_current_timezone()
    if date_from is not None:
        entries = entries.filter(occurred_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to is not None:
        entries = entries.filter(occurred_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return entries.order_by("-occurred_at", "-id")


def access_log_for_resident(*, resident: User) -> QuerySet[AccessLogEntry]:
    """Who looked at or changed the resident's data: staff only, not the
    resident themselves, allowed reads and changes only."""
    return (
        AccessLogEntry.objects.filter(subject=resident, actor_role__in=STAFF_ROLES, outcome="allowed")
        .exclude(actor=resident)
        .order_by("-occurred_at", "-id")
    )
