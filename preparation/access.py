"""Who may reach a preparation: the getters, built on the policy core.

- The resident reaches their own preparations, and only while the guide is
  published (an unpublished guide answers 404 to residents).
- A worker with the resident on their caseload (or their team lead)
  reaches the resident's preparations and documents, also those of a guide
  that is no longer published.
- An organisation admin reaches the guides of their own organisation.

Every read of resident data is logged (``resident_get_for_user`` does it);
an attempt on another resident's preparation is logged as denied. Missing
and forbidden both answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import CASEWORK_ROLES, Role, User
from audit.services import Access, access_log_record
from preparation.models import Guide, Preparation, PreparationDocument
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id, resident_get_for_user


def _deny(user: User, resident: User, object_type: str, object_id: str, action: str) -> None:
    access_log_record(actor=user, accesses=[Access(resident, object_type, object_id, action, Outcome.DENIED)])


def _resident_reaches(user: User, preparation: Preparation) -> bool:
    return (
        user.role == Role.RESIDENT
        and preparation.resident_id == user.pk
        and preparation.guide.status == Guide.Status.PUBLISHED
    )


def preparation_get_for_resident(*, user: User, public_id: Any, action: str = Action.VIEW) -> Preparation:
    """One of the signed-in resident's own preparations of a published guide."""
    preparation = (
        Preparation.objects.select_related("guide", "resident").filter(public_id=parse_public_id(public_id)).first()
    )
    if preparation is None:
        raise Http404
    if not _resident_reaches(user, preparation):
        _deny(user, preparation.resident, "preparation", str(preparation.public_id), action)
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(
            actor=user, accesses=[Access(preparation.resident, "preparation", str(preparation.public_id), action)]
        )
    return preparation


def preparation_get_for_staff(*, user: User, public_id: Any, action: str = Action.VIEW) -> Preparation:
    """A preparation of a resident on ``user``'s caseload (logged by the policy core)."""
    preparation = (
        Preparation.objects.select_related("guide", "resident", "given_by")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if preparation is None:
        raise Http404
    if user.role not in CASEWORK_ROLES:
        _deny(user, preparation.resident, "preparation", str(preparation.public_id), action)
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=preparation.resident.public_id,
        action=action,
        object_type="preparation",
        object_id=str(preparation.public_id),
    )
    return preparation


def preparation_resident_get_for_staff(*, user: User, public_id: Any, action: str = Action.VIEW) -> User:
    """The resident ``public_id`` on ``user``'s caseload, for their list of preparations."""
    return resident_get_for_user(user=user, public_id=public_id, action=action, object_type="preparations")


def preparation_document_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> PreparationDocument:
    """A document the resident uploaded: for the resident themselves (guide
    published) or a worker with the resident on their caseload. A document
    already moved into the case file is reached there, not here."""
    document = (
        PreparationDocument.objects.select_related("preparation__guide", "preparation__resident", "guide_item")
        .filter(public_id=parse_public_id(public_id), moved_at__isnull=True)
        .first()
    )
    if document is None:
        raise Http404
    preparation = document.preparation
    object_id = str(document.public_id)
    if user.role == Role.RESIDENT:
        if not _resident_reaches(user, preparation):
            _deny(user, preparation.resident, "preparation_document", object_id, action)
            raise Http404
        if action in READ_ACTIONS:
            access_log_record(
                actor=user, accesses=[Access(preparation.resident, "preparation_document", object_id, action)]
            )
        return document
    if user.role not in CASEWORK_ROLES:
        _deny(user, preparation.resident, "preparation_document", object_id, action)
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=preparation.resident.public_id,
        action=action,
        object_type="preparation_document",
        object_id=object_id,
    )
    return document


def guide_get_for_admin(*, user: User, public_id: Any) -> Guide:
    """A guide of the organisation admin's own organisation (no resident data)."""
    guide = Guide.objects.filter(public_id=parse_public_id(public_id)).first()
    if guide is None or user.role != Role.ORGANISATION_ADMIN or guide.organisation_id != user.organisation_id:
        raise Http404
    return guide


def guide_get_published(*, user: User, public_id: Any) -> Guide:
    """A published guide of the user's own organisation (for a resident to start)."""
    if user.organisation_id is None:
        raise Http404
    guide = Guide.objects.filter(
        public_id=parse_public_id(public_id), status=Guide.Status.PUBLISHED, organisation_id=user.organisation_id
    ).first()
    if guide is None:
        raise Http404
    return guide
