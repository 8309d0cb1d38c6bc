"""Reads of the privacy officer's registers, scoped to the officer's
organisation (or, for the resident's own page, to the resident)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Role, User
from audit.selectors import access_log_search
from privacy.models import OPEN_STATUSES, Breach, BreachAffected, DestructionRecord, LegalHold, PrivacyRequest

# The counter and the list flag requests due within this many days.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class RequestRow:
    request: PrivacyRequest
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def is_due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_DAYS


def privacy_requests_list(
    *, officer: User, status: str = "", kind: str = "", today: date | None = None
) -> list[RequestRow]:
    """The organisation's requests: open ones first by their deadline (so
    overdue ones lead), then closed ones, newest first. One query."""
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        return []
    today = today or timezone.localdate()
    requests = PrivacyRequest.objects.filter(organisation_id=officer.organisation_id).select_related(
        "resident", "handled_by"
    )
    if status == "open":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    requests = requests.annotate(
        is_closed=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("is_closed", "due_on", "-closed_at", "pk")
    return [RequestRow(r, (r.due_on - today).days if r.is_open else None) for r in requests]


def privacy_requests_due_count(*, organisation_id: int, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return PrivacyRequest.objects.filter(
        organisation_id=organisation_id, status__in=OPEN_STATUSES, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).count()


def privacy_requests_of_resident(*, resident: User) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(resident=resident).order_by("-received_on", "-pk")


def breach_messages_of_resident(*, resident: User) -> QuerySet[BreachAffected]:
    return (
        BreachAffected.objects.filter(resident=resident, message__isnull=False)
        .select_related("message")
        .order_by("-informed_at")
    )


def breaches_list(*, officer: User) -> QuerySet[Breach]:
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        return Breach.objects.none()
    return Breach.objects.filter(organisation_id=officer.organisation_id)


def breach_affected_list(*, breach: Breach) -> QuerySet[BreachAffected]:
    return breach.affected.select_related("resident", "message")


def residents_accessed_by(*, officer: User, actor: User, start: datetime, end: datetime) -> QuerySet[User]:
    """The residents whose data ``actor`` reached (allowed) between ``start``
    and ``end``, from the access log of the officer's organisation."""
    entries = access_log_search(privacy_officer=officer, actor=actor).filter(
        occurred_at__gte=start, occurred_at__lte=end, outcome="allowed", subject__isnull=False
    )
    return User.objects.filter(
        pk__in=entries.values("subject_id"), role=Role.RESIDENT, organisation_id=officer.organisation_id
    ).order_by("sort_name", "first_name")


# --- Retention ----------------------------------------------------------------------------


def legal_holds_list(*, officer: User) -> QuerySet[LegalHold]:
    """The organisation's legal holds: those on first, then lifted ones. One query."""
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        return LegalHold.objects.none()
    return (
        LegalHold.objects.filter(organisation_id=officer.organisation_id)
        .select_related("resident", "placed_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "-placed_at", "-pk")
    )


def destruction_records_list(*, officer: User) -> QuerySet[DestructionRecord]:
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        return DestructionRecord.objects.none()
    return DestructionRecord.objects.filter(organisation_id=officer.organisation_id).order_by("-destroyed_at", "-pk")
