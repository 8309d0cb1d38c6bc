"""Reads for group sessions, always scoped through ``appointments.access``.

Counts of places are no one's personal data; who signed up is. Every read
of a resident's sign-up is written to the access log here: the resident's
own sign-ups as they see them, and the list of residents the host sees.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from accounts.models import Role, User
from appointments.access import group_sessions_for_user
from appointments.models import GroupSession, GroupSessionSignup
from appointments.sessions import SIGNUP_OBJECT_TYPE
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from samenspraak.policy import residents_log_listed

Action = AccessLogEntry.Action

_ACTIVE = Q(signups__cancelled_at__isnull=True)


def group_session_list(*, user: User, now: datetime | None = None) -> QuerySet[GroupSession]:
    """Sessions of the user's organisation that have not ended, soonest
    first, each with ``taken`` and ``places_left``. Residents see only the
    sessions that go ahead, with ``is_signed_up``; staff see cancelled ones
    too. One query, however many sessions."""
    now = now or timezone.now()
    taken = Count("signups", filter=_ACTIVE)
    sessions = (
        group_sessions_for_user(user)
        .filter(ends_at__gt=now)
        .select_related("host", "location")
        .annotate(taken=taken, places_left=ExpressionWrapper(F("capacity") - taken, output_field=IntegerField()))
        .order_by("starts_at", "pk")
    )
    if user.role == Role.RESIDENT:
        own = GroupSessionSignup.objects.filter(session=OuterRef("pk"), resident=user, cancelled_at__isnull=True)
        sessions = sessions.filter(cancelled_at__isnull=True).annotate(is_signed_up=Exists(own))
    return sessions


def places_taken(session: GroupSession) -> int:
    return GroupSessionSignup.objects.filter(session=session, cancelled_at__isnull=True).count()


def signups_of_resident(*, resident: User, now: datetime | None = None) -> list[GroupSessionSignup]:
    """The resident's own active sign-ups for sessions that have not ended,
    cancelled sessions included so that the resident sees they do not go
    ahead. Logged as a list read, one entry per sign-up."""
    now = now or timezone.now()
    signups = list(
        GroupSessionSignup.objects.filter(
            resident=resident,
            cancelled_at__isnull=True,
            session__ends_at__gt=now,
        )
        .select_related("session", "session__location")
        .order_by("session__starts_at", "pk")
    )
    access_log_record(
        actor=resident,
        accesses=[Access(resident, SIGNUP_OBJECT_TYPE, str(s.public_id), Action.LIST) for s in signups],
    )
    return signups


def signup_of_resident(*, resident: User, session: GroupSession) -> GroupSessionSignup | None:
    """The resident's active sign-up for ``session``, if any; logged as a read."""
    signup = GroupSessionSignup.objects.filter(session=session, resident=resident, cancelled_at__isnull=True).first()
    if signup is not None:
        access_log_record(
            actor=resident, accesses=[Access(resident, SIGNUP_OBJECT_TYPE, str(signup.public_id), Action.VIEW)]
        )
    return signup


def signups_for_host(*, user: User, session: GroupSession) -> list[GroupSessionSignup]:
    """Who signed up, for the host (or their team lead): the caller checks
    ``may_manage``. Logged as a list of residents shown to ``user``."""
    signups = list(
        GroupSessionSignup.objects.filter(session=session, cancelled_at__isnull=True)
        .select_related("resident")
        .order_by("resident__sort_name", "resident__first_name", "pk")
    )
    residents_log_listed(user=user, residents=[s.resident for s in signups], object_type=SIGNUP_OBJECT_TYPE)
    return signups
