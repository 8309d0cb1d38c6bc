"""Who may reach an appointment or a group session: the appointments' getters.

Built on the policy core (``samenspraak.policy``): an appointment is reached
through ``resident_get_for_user`` (which logs the read or the refusal), a
group session through the organisation and role of ``user``. Missing and
forbidden both answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.models import Appointment, GroupSession
from samenspraak.policy import Action, parse_public_id, resident_get_for_user

APPOINTMENTS_SCOPE = "appointments"


def appointment_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> Appointment:
    """An appointment of a resident ``user`` may see: the resident, a trusted
    person granted "appointments" (reading only: services refuse their
    changes), and the workers who may see the resident. Logged like every
    access to the resident's data."""
    appointment = (
        Appointment.objects.select_related("resident", "worker", "location", "organisation")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if appointment is None:
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=appointment.resident.public_id,
        action=action,
        object_type="appointment",
        object_id=str(appointment.public_id),
        scope=APPOINTMENTS_SCOPE,
    )
    return appointment


def group_sessions_for_user(user: User) -> QuerySet[GroupSession]:
    """Group sessions ``user`` may see: those of their own organisation, for
    residents and social workers. Not for trusted persons or admins."""
    if user.organisation_id is None or (user.role not in CASEWORK_ROLES and user.role != Role.RESIDENT):
        return GroupSession.objects.none()
    return GroupSession.objects.filter(organisation_id=user.organisation_id)


def group_session_get_for_user(*, user: User, public_id: Any) -> GroupSession:
    session = (
        group_sessions_for_user(user)
        .select_related("host", "location")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if session is None:
        raise Http404
    return session
