"""Writes for blended trainings (issue 12, part 4).

A training brings together participants, a schedule of the organisation's
group sessions (``appointments``), library items for its participants,
modules, and a group conversation (``messaging``). Other apps are used only
through their services, selectors and access modules.

Rules kept here:
- places are counted under a row lock on the training
  (``select_for_update``), so two residents who take the last place at the
  same moment run one after the other and the second hears it is full (on
  SQLite every write transaction starts IMMEDIATE, which serialises them);
- signing up for the training signs the resident up for each of its
  sessions that has not started (through ``appointments.services``); when
  one of them is full the sign-up is refused and nothing is saved. Leaving
  signs them off from the sessions that have not started;
- publishing makes the group conversation with the host as moderator;
  participants join and leave it with the training. The messaging app's
  own rules hold: a resident who is not on the host's caseload, or who did
  not turn on chat, is not added (the training page says so);
- every change to a participation is written to the access log (object
  type ``training_participant``) and joining is a timeline event.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.access import group_sessions_for_user
from appointments.services import GroupSessionError, session_sign_off, session_sign_up, session_signup_active
from audit.services import Access, access_log_record
from casefiles.timeline import timeline_event_add
from learning.access import is_author
from learning.models import Module, Training, TrainingParticipant, TrainingStatus
from messaging.selectors import conversations_for
from messaging.services import MessagingError, conversation_group_create, group_member_add, group_member_remove
from organisations.models import Organisation
from samenspraak.policy import Action, residents_for_casework

PARTICIPANT_OBJECT_TYPE = "training_participant"
TITLE_MAX = 120
DESCRIPTION_MAX = 3000
MIN_CAPACITY, MAX_CAPACITY = 1, 100


class TrainingError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def may_manage_training(user: Any, training: Training) -> bool:
    """Authors of the organisation (admins, team leads) and the host."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id != training.organisation_id:
        return False
    return is_author(user) or user.pk == training.host_id


def _require_manager(user: User, training: Training) -> None:
    if not may_manage_training(user, training):
        raise TrainingError(_("Alleen de begeleider, een teamleider of de beheerder kan deze training wijzigen."))


def _locked(training: Training) -> Training:
    return Training.objects.select_for_update(of=("self",)).select_related("host").get(pk=training.pk)


def _upcoming_sessions(training: Training) -> list[Any]:
    """The training's sessions that go ahead and have not started, soonest first."""
    return list(
        group_sessions_for_user(training.host)
        .filter(pk__in=training.sessions.values("pk"), cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .order_by("starts_at", "pk")
    )


def _conversation(training: Training) -> Any:
    if training.conversation_public_id is None:
        return None
    return conversations_for(user=training.host).filter(public_id=training.conversation_public_id).first()


def _log(actor: User, participant: TrainingParticipant, action: str) -> None:
    access_log_record(
        actor=actor,
        accesses=[Access(participant.resident, PARTICIPANT_OBJECT_TYPE, str(participant.public_id), action)],
    )


# --- Authoring ------------------------------------------------------------------------------------


@transaction.atomic
def training_save(
    *,
    organisation: Organisation,
    saved_by: User,
    title: str,
    description: str,
    host: User,
    capacity: int,
    training: Training | None = None,
) -> Training:
    """Create a draft training, or change one. The host is a social worker
    or team lead of the organisation; never fewer places than participants."""
    if training is None:
        if not is_author(saved_by) or saved_by.organisation_id != organisation.pk:
            raise TrainingError(_("Alleen een beheerder of teamleider van de organisatie kan een training maken."))
    else:
        training = _locked(training)
        _require_manager(saved_by, training)
    title = title.strip()
    if not title:
        raise TrainingError(_("Geef de training een titel."))
    if len(title) > TITLE_MAX or len(description) > DESCRIPTION_MAX:
        raise TrainingError(_("De titel of de beschrijving is te lang."))
    if host.role not in CASEWORK_ROLES or host.organisation_id != organisation.pk or not host.is_active:
        raise TrainingError(_("Kies als begeleider een sociaal werker of teamleider van uw organisatie."))
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise TrainingError(_("Kies %(min)s tot %(max)s plaatsen.") % {"min": MIN_CAPACITY, "max": MAX_CAPACITY})
    if training is None:
        training = Training(organisation=organisation, created_by=saved_by)
    else:
        taken = training.participants.filter(left_at__isnull=True).count()
        if capacity < taken:
            raise TrainingError(
                _("Er doen al %(count)s inwoners mee. Kies minstens %(count)s plaatsen.") % {"count": taken}
            )
        if training.conversation_public_id is not None and host.pk != training.host_id:
            raise TrainingError(_("De groepschat is al gemaakt; de begeleider kan niet meer wisselen."))
    training.title = title
    training.description = description.strip()
    training.host = host
    training.capacity = capacity
    training.save()
    return training


@transaction.atomic
def training_publish(*, training: Training, by: User) -> Training:
    """Open the training for sign-up and make its group conversation, with
    the host as moderator."""
    training = _locked(training)
    _require_manager(by, training)
    if training.status != TrainingStatus.DRAFT:
        raise TrainingError(_("Deze training is al gepubliceerd."))
    if training.conversation_public_id is None:
        try:
            conversation = conversation_group_create(title=training.title, created_by=training.host, residents=[])
        except MessagingError as error:
            raise TrainingError(str(error)) from None
        training.conversation_public_id = conversation.public_id
    training.status = TrainingStatus.PUBLISHED
    training.save(update_fields=["status", "conversation_public_id"])
    return training


@transaction.atomic
def training_close(*, training: Training, by: User) -> Training:
    """No more sign-ups; participants keep their page and materials."""
    training = _locked(training)
    _require_manager(by, training)
    training.status = TrainingStatus.CLOSED
    training.save(update_fields=["status"])
    return training


@transaction.atomic
def training_session_attach(*, training: Training, session: Any, by: User) -> None:
    """Put one of the organisation's group sessions on the schedule. Its
    current participants are signed up for it (refused as a whole when
    it has too few places)."""
    training = _locked(training)
    _require_manager(by, training)
    if session.organisation_id != training.organisation_id:
        raise TrainingError(_("Kies een groepsbijeenkomst van uw eigen organisatie."))
    if session.cancelled_at is not None or session.starts_at <= timezone.now():
        raise TrainingError(_("Kies een groepsbijeenkomst die nog moet beginnen en niet is afgezegd."))
    if training.sessions.filter(pk=session.pk).exists():
        raise TrainingError(_("Deze groepsbijeenkomst hoort al bij de training."))
    training.sessions.add(session)
    for participant in training.participants.filter(left_at__isnull=True).select_related("resident"):
        _session_sign_up(session, participant.resident)


@transaction.atomic
def training_session_detach(*, training: Training, session: Any, by: User) -> None:
    """Take a session off the schedule; sign-ups for it stay as they are."""
    training = _locked(training)
    _require_manager(by, training)
    training.sessions.remove(session)


@transaction.atomic
def training_modules_set(*, training: Training, modules: Iterable[Module], by: User) -> None:
    training = _locked(training)
    _require_manager(by, training)
    modules = list(modules)
    if any(m.organisation_id != training.organisation_id or m.published_version_id is None for m in modules):
        raise TrainingError(_("Kies gepubliceerde modules van uw eigen organisatie."))
    training.modules.set(modules)


# --- Participants ---------------------------------------------------------------------------------


def _session_sign_up(session: Any, resident: User) -> None:
    if session_signup_active(session=session, resident=resident) is not None:
        return
    try:
        session_sign_up(session=session, resident=resident)
    except GroupSessionError as error:
        raise TrainingError(
            _("Aanmelden lukt niet voor de bijeenkomst van %(date)s: %(reason)s")
            % {"date": timezone.localtime(session.starts_at).strftime("%d-%m-%Y"), "reason": error}
        ) from None


def _chat_join(training: Training, resident: User) -> None:
    """Add the resident to the group chat when messaging allows it; the
    training does not depend on it (the page says when chat is off)."""
    conversation = _conversation(training)
    if conversation is None:
        return
    try:
        group_member_add(conversation=conversation, resident=resident, added_by=training.host)
    except MessagingError:
        return


@transaction.atomic
def training_sign_up(*, training: Training, resident: User, added_by: User | None = None) -> TrainingParticipant:
    """The resident takes a place (or a worker adds a resident of their
    caseload). The training's row is locked before the places are counted."""
    actor = added_by or resident
    if resident.role != Role.RESIDENT or not resident.is_active:
        raise TrainingError(_("Alleen inwoners doen mee aan een training."))
    if resident.organisation_id != training.organisation_id:
        raise TrainingError(_("Deze training is niet van uw organisatie."))
    if added_by is not None and (
        added_by.role not in CASEWORK_ROLES or not residents_for_casework(added_by).filter(pk=resident.pk).exists()
    ):
        raise TrainingError(_("U kunt alleen inwoners aanmelden die u begeleidt."))
    training = _locked(training)
    if training.status != TrainingStatus.PUBLISHED:
        raise TrainingError(_("Aanmelden voor deze training kan niet (meer)."))
    active = TrainingParticipant.objects.filter(training=training, left_at__isnull=True)
    if active.filter(resident=resident).exists():
        raise TrainingError(_("U bent al aangemeld voor deze training."))
    if active.count() >= training.capacity:
        raise TrainingError(_("Deze training is vol. Er zijn geen plaatsen meer."))
    try:
        with transaction.atomic():
            participant = TrainingParticipant.objects.create(training=training, resident=resident, added_by=added_by)
    except IntegrityError:
        raise TrainingError(_("U bent al aangemeld voor deze training.")) from None
    for session in _upcoming_sessions(training):
        _session_sign_up(session, resident)
    _chat_join(training, resident)
    _log(actor, participant, Action.CREATE)
    timeline_event_add(
        resident=resident,
        kind="learning.training_joined",
        summary=_("Aangemeld voor de training %(title)s") % {"title": training.title},
        params={"title": training.title},
        actor=actor,
        is_shared=True,
        object_type="training",
        object_public_id=training.public_id,
    )
    return participant


@transaction.atomic
def training_leave(*, participant: TrainingParticipant, by: User) -> TrainingParticipant:
    """The resident gives their place back; they are signed off from the
    sessions that have not started and leave the group chat."""
    if by.pk != participant.resident_id:
        raise TrainingError(_("Alleen de inwoner zelf kan zich afmelden."))
    training = _locked(participant.training)
    participant = TrainingParticipant.objects.select_related("resident").get(pk=participant.pk)
    if participant.left_at is not None:
        raise TrainingError(_("U bent al afgemeld voor deze training."))
    participant.left_at = timezone.now()
    participant.save(update_fields=["left_at"])
    for session in _upcoming_sessions(training):
        signup = session_signup_active(session=session, resident=participant.resident)
        if signup is not None:
            session_sign_off(signup=signup, by=by)
    conversation = _conversation(training)
    if conversation is not None:
        # Not (or no longer) in the chat when messaging refused to add them.
        with contextlib.suppress(MessagingError):
            group_member_remove(conversation=conversation, member=participant.resident, removed_by=by)
    _log(by, participant, Action.CHANGE)
    return participant
