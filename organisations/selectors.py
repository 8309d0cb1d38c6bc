"""Reads for organisations, always scoped by the policy module."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import CASEWORK_ROLES, Invitation, Role, User
from organisations.caseload import caseload_annotate
from organisations.models import Team, TrustedPersonGrant
from samenspraak.policy import residents_for_casework


def caseload_list(*, user: User, search: str = "", status: str = "", attention: str = "") -> QuerySet[User]:
    """The worker's (or team lead's) residents, with their workers and what
    the capabilities count per resident (organisations/caseload.py): the
    next review date of the blend plan, open correction requests and what is
    new from the resident since this worker last looked (comments, uploads,
    correction requests, chat messages). A fixed number of queries, however
    long the caseload."""
    residents = (
        caseload_annotate(residents_for_casework(user), worker=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "worker_assignments__worker",
                queryset=User.objects.only("id", "first_name", "last_name", "public_id"),
            )
        )
        .order_by("sort_name", "first_name", "pk")
    )
    if search:
        residents = residents.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search))
    if status == "active":
        residents = residents.filter(is_active=True)
    elif status == "invited":
        residents = residents.filter(is_active=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    # The counts are annotations the capabilities provide (keyword filters
    # by name: the type checker cannot see them on the model).
    if attention == "review":
        residents = residents.filter(**{"next_review__lte": timezone.localdate() + timedelta(days=14)})
    elif attention == "corrections":
        residents = residents.filter(**{"open_corrections__gt": 0})
    elif attention == "unread":
        residents = residents.filter(**{"unread__gt": 0})
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
