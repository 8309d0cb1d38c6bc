"""Who reaches the privacy officer's registers: the getters, built on the
policy core. Only the privacy officer of the organisation reaches its
requests and breaches (the role gate is ``Permission.VIEW_ACCESS_LOG``,
the privacy officer's permission); another organisation's object answers
``Http404`` and the attempt is logged as denied. A read of a request is
logged for the resident it concerns."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Role, User
from audit.services import Access, access_log_record
from privacy.models import Breach, LegalHold, PrivacyRequest
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id


def _refuse(
    user: User, subject: User | None, object_type: str, object_id: str, action: str, organisation_id: int
) -> None:
    access_log_record(
        actor=user,
        accesses=[Access(subject, object_type, object_id, action, Outcome.DENIED, organisation_id=organisation_id)],
    )


def privacy_request_get_for_officer(*, user: User, public_id: Any, action: str = Action.VIEW) -> PrivacyRequest:
    request = (
        PrivacyRequest.objects.select_related("resident", "handled_by", "filed_by")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if request is None:
        raise Http404
    if user.role != Role.PRIVACY_OFFICER or user.organisation_id != request.organisation_id:
        _refuse(user, request.resident, "privacy_request", str(request.public_id), action, request.organisation_id)
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(
            actor=user,
            accesses=[
                Access(
                    request.resident,
                    "privacy_request",
                    str(request.public_id),
                    action,
                    organisation_id=request.organisation_id,
                )
            ],
        )
    return request


def breach_get_for_officer(*, user: User, public_id: Any, action: str = Action.VIEW) -> Breach:
    """A breach of the officer's organisation. Reading the breach is not a
    read of one resident's record: the residents on it are logged as
    listed by the page that shows them."""
    breach = Breach.objects.filter(public_id=parse_public_id(public_id)).first()
    if breach is None:
        raise Http404
    if user.role != Role.PRIVACY_OFFICER or user.organisation_id != breach.organisation_id:
        _refuse(user, None, "breach", str(breach.public_id), action, breach.organisation_id)
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(
            actor=user,
            accesses=[Access(None, "breach", str(breach.public_id), action, organisation_id=breach.organisation_id)],
        )
    return breach


def residents_for_officer(user: User) -> Any:
    """The residents of the officer's organisation (for choosing one)."""
    if user.role != Role.PRIVACY_OFFICER or user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(role=Role.RESIDENT, organisation_id=user.organisation_id)


def resident_get_for_officer(
    *, user: User, public_id: Any, action: str = Action.VIEW, object_type: str = "resident"
) -> User:
    """A resident of the officer's organisation; a resident of another one is
    refused (logged) with ``Http404``. ``object_type`` names what of the
    resident is read (the access log's object type)."""
    resident_id = parse_public_id(public_id)
    resident = residents_for_officer(user).filter(public_id=resident_id).first()
    if resident is None:
        existing = User.objects.filter(public_id=resident_id, role=Role.RESIDENT).first()
        if existing is not None:
            access_log_record(
                actor=user, accesses=[Access(existing, object_type, str(resident_id), action, Outcome.DENIED)]
            )
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(actor=user, accesses=[Access(resident, object_type, str(resident_id), action)])
    return resident


def legal_hold_get_for_officer(*, user: User, public_id: Any, action: str = Action.VIEW) -> LegalHold:
    """A legal hold of the officer's organisation; another organisation's
    answers ``Http404`` (logged as denied for the resident it covers)."""
    hold = LegalHold.objects.select_related("resident").filter(public_id=parse_public_id(public_id)).first()
    if hold is None:
        raise Http404
    if user.role != Role.PRIVACY_OFFICER or user.organisation_id != hold.organisation_id:
        _refuse(user, hold.resident, "legal_hold", str(hold.public_id), action, hold.organisation_id)
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(
            actor=user,
            accesses=[
                Access(hold.resident, "legal_hold", str(hold.public_id), action, organisation_id=hold.organisation_id)
            ],
        )
    return hold
