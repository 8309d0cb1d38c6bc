"""Who reaches what in ``learning``, built on the policy core.

- A published module of the organisation is open to each of its residents
  (an assignment only puts it on the resident's list and lets the worker
  follow it). A module never published answers 404.
- A library item is open to residents of its organisation when published,
  and when it names one resident, only to that resident; when it names a
  training, only to that training's active participants.
- A training is open to the organisation's residents once published (a
  participant keeps it after it closes); its manager page to the
  organisation's authors and its host (``training_get_for_manager``).
- Authors are the organisation's admins and team leads (they answer for
  how the organisation and its teams work), and the social workers the
  admin designated (``Author``; ``is_author``). They reach their
  organisation's content, drafts included.
- A worker follows a resident's modules through ``resident_get_for_user``
  (caseload; logged there).

Missing and forbidden both answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from audit.services import Access, access_log_record
from learning.models import (
    Author,
    LibraryItem,
    Module,
    ModuleVersion,
    Status,
    Step,
    Training,
    TrainingParticipant,
    TrainingStatus,
)
from samenspraak.policy import Action, organisation_id_of, parse_public_id

AUTHOR_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.TEAM_LEAD})


def is_author(user: Any) -> bool:
    """Admins and team leads by their role; a social worker when the
    organisation admin designated them (one query, remembered on the user
    object for the rest of the request)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if user.role in AUTHOR_ROLES:
        return True
    if user.role != Role.SOCIAL_WORKER:
        return False
    if not hasattr(user, "_is_learning_author"):
        user._is_learning_author = Author.objects.filter(user=user, organisation_id=user.organisation_id).exists()
    return bool(user._is_learning_author)


def module_get_for_resident(*, user: User, public_id: Any) -> Module:
    """A published module of the resident's organisation."""
    if user.role != Role.RESIDENT or user.organisation_id is None:
        raise Http404
    module = (
        Module.objects.select_related("published_version")
        .filter(
            public_id=parse_public_id(public_id),
            organisation_id=user.organisation_id,
            published_version__isnull=False,
        )
        .first()
    )
    if module is None:
        raise Http404
    return module


def library_items_for_resident(user: User) -> Any:
    """The published items a resident may read (a queryset, no query yet)."""
    if user.role != Role.RESIDENT or user.organisation_id is None:
        return LibraryItem.objects.none()
    own_trainings = TrainingParticipant.objects.filter(resident=user, left_at__isnull=True).values("training_id")
    return LibraryItem.objects.filter(organisation_id=user.organisation_id, status=Status.PUBLISHED).filter(
        Q(audience_resident__isnull=True, audience_training__isnull=True)
        | Q(audience_resident=user)
        | Q(audience_training__in=own_trainings)
    )


def library_item_get_for_resident(*, user: User, public_id: Any) -> LibraryItem:
    """One published item for the resident. An item written for this one
    resident is their data: the read is logged."""
    item = library_items_for_resident(user).select_related("topic").filter(public_id=parse_public_id(public_id)).first()
    if item is None:
        raise Http404
    if item.audience_resident_id is not None:
        access_log_record(actor=user, accesses=[Access(user, "library_item", str(item.public_id), Action.VIEW)])
    return item


def module_get_for_author(*, user: User, public_id: Any) -> Module:
    if not is_author(user):
        raise Http404
    module = Module.objects.filter(
        public_id=parse_public_id(public_id), organisation_id=organisation_id_of(user)
    ).first()
    if module is None:
        raise Http404
    return module


def step_get_for_author(*, user: User, public_id: Any) -> Step:
    if not is_author(user):
        raise Http404
    step = (
        Step.objects.select_related("version__module")
        .filter(public_id=parse_public_id(public_id), version__module__organisation_id=organisation_id_of(user))
        .first()
    )
    if step is None:
        raise Http404
    return step


def library_item_get_for_author(*, user: User, public_id: Any) -> LibraryItem:
    if not is_author(user):
        raise Http404
    item = (
        LibraryItem.objects.select_related("topic", "audience_resident", "audience_training")
        .filter(public_id=parse_public_id(public_id), organisation_id=organisation_id_of(user))
        .first()
    )
    if item is None:
        raise Http404
    return item


def step_image_get(*, user: User, public_id: Any, kind: str = "image") -> Step:
    """An image (or video) step: for the organisation's residents and staff
    once its version was published; drafts only for authors."""
    if user.organisation_id is None:
        raise Http404
    step = (
        Step.objects.select_related("version")
        .filter(
            public_id=parse_public_id(public_id),
            version__module__organisation_id=user.organisation_id,
            kind=kind,
        )
        .first()
    )
    if step is None:
        raise Http404
    if step.version.status == Status.DRAFT and not is_author(user):
        raise Http404
    return step


def version_is_open_to_resident(version: ModuleVersion) -> bool:
    return version.status != Status.DRAFT


# --- Trainings --------------------------------------------------------------------------------------


def trainings_for_resident(user: User) -> QuerySet[Training]:
    """Published trainings of the resident's organisation, and the ones
    they take part in (also when closed). A queryset, no query yet."""
    if user.role != Role.RESIDENT or user.organisation_id is None:
        return Training.objects.none()
    own = TrainingParticipant.objects.filter(resident=user, left_at__isnull=True).values("training_id")
    return Training.objects.filter(organisation_id=user.organisation_id).filter(
        Q(status=TrainingStatus.PUBLISHED) | Q(pk__in=own)
    )


def training_get_for_resident(*, user: User, public_id: Any) -> Training:
    training = trainings_for_resident(user).select_related("host").filter(public_id=parse_public_id(public_id)).first()
    if training is None:
        raise Http404
    return training


def trainings_for_manager(user: User) -> QuerySet[Training]:
    """Every training of the organisation for its authors; the own ones for a host."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Training.objects.none()
    trainings = Training.objects.filter(organisation_id=user.organisation_id)
    if is_author(user):
        return trainings
    if user.role == Role.SOCIAL_WORKER:
        return trainings.filter(host=user)
    return Training.objects.none()


def training_get_for_manager(*, user: User, public_id: Any) -> Training:
    training = trainings_for_manager(user).select_related("host").filter(public_id=parse_public_id(public_id)).first()
    if training is None:
        raise Http404
    return training


def trainings_open_for_sign_up(*, organisation_id: int | None) -> QuerySet[Training]:
    """Published trainings of the organisation (no resident data)."""
    if organisation_id is None:
        return Training.objects.none()
    return Training.objects.filter(organisation_id=organisation_id, status=TrainingStatus.PUBLISHED).order_by(
        "title", "pk"
    )
