"""Who may reach effect measurements: the getters, built on the policy core.

A worker reaches the measurements of the residents on their caseload (a
team lead those of their team), through ``resident_get_for_user``, which
logs the read or the refusal. A resident reaches their own progress page
(their self-assessments, and the worker's measurements once shared); a
trusted person reaches none of it. Missing and forbidden both answer
``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role, User
from audit.services import Access, access_log_record
from outcomes.models import Measurement
from samenspraak.policy import Action, parse_public_id, resident_get_for_user, residents_for_casework


def outcomes_resident_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> User:
    """The resident whose measurements ``user`` may see or record; logged."""
    return resident_get_for_user(user=user, public_id=public_id, action=action, object_type="outcomes")


def outcomes_residents_for_user(*, user: User) -> QuerySet[User]:
    """The residents whose measurements ``user`` may aggregate (their
    caseload; a team lead's team). The aggregate names nobody; its read is
    logged once, without a subject."""
    access_log_record(actor=user, accesses=[Access(None, "outcomes_caseload", "", Action.LIST)])
    return residents_for_casework(user)


def outcomes_residents_for_scope(*, user: User, scope: str) -> QuerySet[User]:
    """The residents ``user`` may aggregate at ``scope``: ``caseload`` (a
    social worker's caseload), ``team`` (a team lead's team, and their
    own residents) or ``organisatie`` (the whole organisation: a team lead
    or the organisation admin). Aggregates name nobody; the read is logged
    once, without a subject, with the scope. Any other combination: 404."""
    if (scope == "caseload" and user.role == Role.SOCIAL_WORKER) or (scope == "team" and user.role == Role.TEAM_LEAD):
        residents = residents_for_casework(user)
    elif scope == "organisatie" and user.role in (Role.TEAM_LEAD, Role.ORGANISATION_ADMIN) and user.organisation_id:
        residents = User.objects.filter(role=Role.RESIDENT, organisation_id=user.organisation_id)
    else:
        raise Http404
    access_log_record(actor=user, accesses=[Access(None, "outcomes_caseload", scope, Action.LIST)])
    return residents


def measurement_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> Measurement:
    """One measurement of a resident ``user`` may see; logged (a refusal of
    an existing resident's measurement as denied)."""
    measurement = (
        Measurement.objects.select_related("resident", "version__instrument", "scored_by")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if measurement is None:
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=measurement.resident.public_id,
        action=action,
        object_type="measurement",
        object_id=str(measurement.public_id),
    )
    return measurement
