"""Reads for organisations, always scoped by the policy module."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import CASEWORK_ROLES, Invitation, Role, User
from casefiles.models import CaseFileVisit, CorrectionRequest, Document, ResidentComment
from organisations.models import Team, TrustedPersonGrant
from samenspraak.policy import residents_for_casework

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) subquery (0 when nothing matches)."""
    return Coalesce(
        Subquery(queryset.order_by().values("case__resident").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
    )


def caseload_list(*, user: User, search: str = "", status: str = "", attention: str = "") -> QuerySet[User]:
    """The worker's (or team lead's) residents, with their workers, the next
    review date of the blend plan, open correction requests and what is new
    since this worker last opened the file. A fixed number of queries,
    however long the caseload."""
    last_seen = Coalesce(
        Subquery(CaseFileVisit.objects.filter(worker=user, resident=OuterRef("pk")).values("last_seen_at")[:1]),
        Value(EPOCH),
    )
    residents = (
        residents_for_casework(user)
        .annotate(
            next_review=F("blend_plan__review_date"),
            open_corrections=_count(CorrectionRequest.objects.filter(case__resident=OuterRef("pk"), status="open")),
            last_seen=last_seen,
        )
        .annotate(
            unread=_count(
                ResidentComment.objects.filter(case__resident=OuterRef("pk"), created_at__gt=OuterRef("last_seen"))
            )
            + _count(
                Document.objects.filter(
                    case__resident=OuterRef("pk"),
                    uploaded_by=OuterRef("pk"),
                    created_at__gt=OuterRef("last_seen"),
                )
            )
            + _count(
                CorrectionRequest.objects.filter(case__resident=OuterRef("pk"), created_at__gt=OuterRef("last_seen"))
            )
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "worker_assignments__worker",
                queryset=User.objects.only("id", "first_name", "last_name", "public_id"),
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    if search:
        residents = residents.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search))
    if status == "active":
        residents = residents.filter(is_active=True)
    elif status == "invited":
        residents = residents.filter(is_active=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if attention == "review":
        residents = residents.filter(next_review__lte=timezone.localdate() + timedelta(days=14))
    elif attention == "corrections":
        residents = residents.filter(open_corrections__gt=0)
    elif attention == "unread":
        residents = residents.filter(unread__gt=0)
    return residents


def resident_invitations(*, resident: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(user=resident).select_related("invited_by").order_by("-created_at")[:5]  # type: ignore[return-value]


def resident_grants(*, resident: User) -> QuerySet[TrustedPersonGrant]:
    return TrustedPersonGrant.objects.filter(resident=resident, revoked_at__isnull=True).select_related(
        "trusted_person"
    )


def casework_staff(*, organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, role__in=CASEWORK_ROLES, is_active=True)


def team_list(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )


def staff_and_residents_counts(*, organisation_id: int) -> dict[str, int]:
    rows = User.objects.filter(organisation_id=organisation_id).values("role").annotate(n=Count("id"))
    counts = {row["role"]: row["n"] for row in rows}
    residents = counts.pop(Role.RESIDENT, 0)
    return {"residents": residents, "staff": sum(counts.values())}
