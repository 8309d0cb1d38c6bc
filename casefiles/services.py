"""Writes for the case file. Each service runs in one transaction and
writes its access-log entry and timeline event there; mail and tasks are
sent on commit.

Rules kept here:
- a closed case cannot be changed (only read);
- a resident has at most one current case (also a database constraint);
- internal items are never shown to the resident, and a change of
  visibility is logged;
- a correction request is answered by staff, never by the person who asked.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CASEWORK_ROLES, CLIENT_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.models import (
    Agreement,
    Case,
    CaseFileVisit,
    CorrectionRequest,
    Document,
    Goal,
    GoalAction,
    ItemKind,
    Note,
    ResidentComment,
    SupportQuestion,
)
from casefiles.timeline import timeline_event_add, timeline_events_hide
from casefiles.uploads import upload_check
from samenspraak.hooks import CASELOAD_CHANGED, hook_call

Action = AccessLogEntry.Action


class CaseFileError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def _log(actor: User, resident: User, object_type: str, object_id: uuid.UUID, action: str) -> None:
    access_log_record(actor=actor, accesses=[Access(resident, object_type, str(object_id), action)])


def _locked_open_case(case: Case) -> Case:
    """Lock the case row and refuse changes to a closed case."""
    locked = Case.objects.select_for_update().select_related("resident").get(pk=case.pk)
    if locked.is_closed:
        raise CaseFileError(_("Dit dossier is afgesloten. Het kan niet meer worden gewijzigd."))
    return locked


def _require_staff(user: User) -> None:
    if user.role not in CASEWORK_ROLES:
        raise CaseFileError(_("Alleen een sociaal werker kan dit doen."))


def casefile_visit_record(*, worker: User, resident: User) -> None:
    """Remember that the worker saw the file now (for the unread count)."""
    CaseFileVisit.objects.update_or_create(worker=worker, resident=resident, defaults={"last_seen_at": timezone.now()})


# --- The case itself ------------------------------------------------------------


@transaction.atomic
def case_open(*, resident: User, opened_by: User) -> Case:
    _require_staff(opened_by)
    if resident.role != Role.RESIDENT or resident.organisation_id != opened_by.organisation_id:
        raise CaseFileError(_("Voor deze persoon kan geen dossier worden geopend."))
    if Case.objects.current().filter(resident=resident).exists():
        raise CaseFileError(_("Deze inwoner heeft al een lopend dossier."))
    assert resident.organisation_id is not None
    try:
        with transaction.atomic():
            case = Case.objects.create(resident=resident, organisation_id=resident.organisation_id, opened_by=opened_by)
    except IntegrityError as error:  # opened at the same moment by someone else
        raise CaseFileError(_("Deze inwoner heeft al een lopend dossier.")) from error
    _log(opened_by, resident, "case", case.public_id, Action.CREATE)
    timeline_event_add(
        resident=resident,
        kind="casefiles.case_opened",
        summary=_("Dossier geopend"),
        actor=opened_by,
        is_shared=True,
        object_type="case",
        object_public_id=case.public_id,
    )
    return case


ALLOWED_TRANSITIONS = {
    Case.Status.OPEN: {Case.Status.PAUSED, Case.Status.CLOSED},
    Case.Status.PAUSED: {Case.Status.OPEN, Case.Status.CLOSED},
}
STATUS_SUMMARIES = {
    Case.Status.OPEN: gettext_lazy("Dossier weer geopend"),
    Case.Status.PAUSED: gettext_lazy("Dossier gepauzeerd"),
    Case.Status.CLOSED: gettext_lazy("Dossier afgesloten"),
}


@transaction.atomic
def case_status_set(*, case: Case, status: str, reason: str, changed_by: User) -> Case:
    """Pause, resume or close a case. Pausing and closing need a reason."""
    _require_staff(changed_by)
    case = _locked_open_case(case)
    if status not in ALLOWED_TRANSITIONS.get(case.status, set()):  # type: ignore[call-overload]
        raise CaseFileError(_("Deze wijziging kan niet vanuit de huidige status van het dossier."))
    if status in {Case.Status.PAUSED, Case.Status.CLOSED} and not reason.strip():
        raise CaseFileError(_("Schrijf kort op waarom."))
    case.status = status
    case.status_reason = reason.strip()
    case.closed_at = timezone.now() if status == Case.Status.CLOSED else None
    case.save(update_fields=["status", "status_reason", "closed_at"])
    _log(changed_by, case.resident, "case", case.public_id, Action.CHANGE)
    timeline_event_add(
        resident=case.resident,
        kind=f"casefiles.case_{status}",
        summary=str(STATUS_SUMMARIES[Case.Status(status)]),
        actor=changed_by,
        is_shared=True,
        object_type="case",
        object_public_id=case.public_id,
    )
    return case


# --- Questions, goals, actions and agreements ------------------------------------


@transaction.atomic
def question_add(*, case: Case, title: str, description: str, added_by: User) -> SupportQuestion:
    _require_staff(added_by)
    case = _locked_open_case(case)
    question = SupportQuestion.objects.create(case=case, title=title, description=description)
    _log(added_by, case.resident, "supportquestion", question.public_id, Action.CREATE)
    timeline_event_add(
        resident=case.resident,
        kind="casefiles.question_added",
        summary=_("Hulpvraag toegevoegd: %(title)s") % {"title": title},
        params={"title": title},
        actor=added_by,
        is_shared=True,
        object_type="supportquestion",
        object_public_id=question.public_id,
    )
    return question


@transaction.atomic
def question_status_set(*, question: SupportQuestion, status: str, changed_by: User) -> SupportQuestion:
    _require_staff(changed_by)
    _locked_open_case(question.case)
    if status not in SupportQuestion.Status.values:
        raise CaseFileError(_("Kies een status uit de lijst."))
    question.status = status
    question.save(update_fields=["status"])
    _log(changed_by, question.case.resident, "supportquestion", question.public_id, Action.CHANGE)
    return question


@transaction.atomic
def goal_add(
    *,
    case: Case,
    title: str,
    description: str,
    question: SupportQuestion | None,
    target_date: date | None,
    added_by: User,
) -> Goal:
    _require_staff(added_by)
    case = _locked_open_case(case)
    if question is not None and question.case_id != case.pk:
        raise CaseFileError(_("Deze hulpvraag hoort niet bij dit dossier."))
    if target_date is not None and target_date < timezone.localdate():
        raise CaseFileError(_("De streefdatum ligt in het verleden. Kies een datum vanaf vandaag."))
    goal = Goal.objects.create(
        case=case, title=title, description=description, question=question, target_date=target_date
    )
    _log(added_by, case.resident, "goal", goal.public_id, Action.CREATE)
    timeline_event_add(
        resident=case.resident,
        kind="casefiles.goal_added",
        summary=_("Doel toegevoegd: %(title)s") % {"title": title},
        params={"title": title},
        actor=added_by,
        is_shared=True,
        object_type="goal",
        object_public_id=goal.public_id,
    )
    return goal


@transaction.atomic
def goal_status_set(*, goal: Goal, status: str, changed_by: User) -> Goal:
    _require_staff(changed_by)
    _locked_open_case(goal.case)
    if status not in Goal.Status.values:
        raise CaseFileError(_("Kies een status uit de lijst."))
    goal.status = status
    goal.save(update_fields=["status"])
    _log(changed_by, goal.case.resident, "goal", goal.public_id, Action.CHANGE)
    if status == Goal.Status.ACHIEVED:
        timeline_event_add(
            resident=goal.case.resident,
            kind="casefiles.goal_achieved",
            summary=_("Doel gehaald: %(title)s") % {"title": goal.title},
            params={"title": goal.title},
            actor=changed_by,
            is_shared=True,
            object_type="goal",
            object_public_id=goal.public_id,
        )
    return goal


@transaction.atomic
def goal_action_add(*, goal: Goal, description: str, owner: str, due_date: date | None, added_by: User) -> GoalAction:
    _require_staff(added_by)
    _locked_open_case(goal.case)
    if owner not in GoalAction.Owner.values:
        raise CaseFileError(_("Kies wie dit doet."))
    action = GoalAction.objects.create(goal=goal, description=description, owner=owner, due_date=due_date)
    _log(added_by, goal.case.resident, "goalaction", action.public_id, Action.CREATE)
    timeline_event_add(
        resident=goal.case.resident,
        kind="casefiles.step_added",
        summary=_("Nieuwe stap bij het doel: %(goal)s") % {"goal": goal.title},
        params={"goal": goal.title},
        actor=added_by,
        is_shared=True,
        object_type="goal",
        object_public_id=goal.public_id,
    )
    return action


@transaction.atomic
def goal_action_done_set(*, action: GoalAction, is_done: bool, changed_by: User) -> GoalAction:
    """Staff, and the resident for their own steps, can tick a step off."""
    case = action.goal.case
    resident = case.resident
    if changed_by.role in CLIENT_ROLES and changed_by.pk != resident.pk:
        raise CaseFileError(_("Alleen de inwoner of een sociaal werker kan dit afvinken."))
    if changed_by.role not in CLIENT_ROLES:
        _require_staff(changed_by)
    _locked_open_case(case)
    action.done_at = timezone.now() if is_done else None
    action.save(update_fields=["done_at"])
    _log(changed_by, resident, "goalaction", action.public_id, Action.CHANGE)
    return action


@transaction.atomic
def agreement_add(*, case: Case, text: str, added_by: User) -> Agreement:
    _require_staff(added_by)
    case = _locked_open_case(case)
    agreement = Agreement.objects.create(case=case, text=text, created_by=added_by)
    _log(added_by, case.resident, "agreement", agreement.public_id, Action.CREATE)
    timeline_event_add(
        resident=case.resident,
        kind="casefiles.agreement_added",
        summary=_("Nieuwe afspraak gemaakt"),
        actor=added_by,
        is_shared=True,
        object_type="agreement",
        object_public_id=agreement.public_id,
    )
    return agreement


# --- Notes and documents ----------------------------------------------------------


@transaction.atomic
def note_add(*, case: Case, body: str, is_shared: bool | None, author: User) -> Note:
    """``is_shared=None`` takes the organisation's default."""
    _require_staff(author)
    case = _locked_open_case(case)
    if is_shared is None:
        is_shared = case.organisation.default_note_is_shared
    note = Note.objects.create(case=case, body=body, is_shared=is_shared, author=author)
    _log(author, case.resident, "note", note.public_id, Action.CREATE)
    timeline_event_add(
        resident=case.resident,
        kind="casefiles.note_added",
        summary=_("Notitie geschreven") if is_shared else _("Interne notitie geschreven"),
        params={"shared": is_shared},
        actor=author,
        is_shared=is_shared,
        object_type="note",
        object_public_id=note.public_id,
    )
    return note


def _visibility_set(item: Note | Document, *, is_shared: bool, changed_by: User, object_type: str) -> None:
    _require_staff(changed_by)
    case = _locked_open_case(item.case)
    if item.is_shared == is_shared:
        return
    item.is_shared = is_shared
    item.save(update_fields=["is_shared"])
    if not is_shared:
        # "Document toegevoegd: <title>" would otherwise stay in the
        # resident's timeline after the document became internal.
        timeline_events_hide(resident=case.resident, object_type=object_type, object_public_id=item.public_id)
    _log(changed_by, case.resident, f"{object_type}.visibility", item.public_id, Action.CHANGE)
    timeline_event_add(
        resident=case.resident,
        kind=f"casefiles.{object_type}_visibility",
        summary=_("Gedeeld met de inwoner") if is_shared else _("Niet meer gedeeld met de inwoner"),
        params={"shared": is_shared},
        actor=changed_by,
        is_shared=False,
        object_type=object_type,
        object_public_id=item.public_id,
    )
    if is_shared and isinstance(item, Document):
        # News for the resident: a document they can read now.
        timeline_event_add(
            resident=case.resident,
            kind="casefiles.document_shared",
            summary=_("Document gedeeld: %(title)s") % {"title": item.title},
            params={"title": item.title},
            actor=changed_by,
            is_shared=True,
            object_type=object_type,
            object_public_id=item.public_id,
        )


@transaction.atomic
def note_visibility_set(*, note: Note, is_shared: bool, changed_by: User) -> Note:
    _visibility_set(note, is_shared=is_shared, changed_by=changed_by, object_type="note")
    return note


@transaction.atomic
def document_visibility_set(*, document: Document, is_shared: bool, changed_by: User) -> Document:
    _visibility_set(document, is_shared=is_shared, changed_by=changed_by, object_type="document")
    return document


def document_add(*, case: Case, title: str, upload: UploadedFile, is_shared: bool, uploaded_by: User) -> Document:
    """Check the file by content, then store it in private storage.

    The check runs before the transaction; the file is written inside it and
    removed again if the transaction fails, so nothing half-saved remains.
    A resident's own upload is always shared with them.
    """
    resident_upload = uploaded_by.role in CLIENT_ROLES
    if resident_upload and uploaded_by.pk != case.resident_id:
        raise CaseFileError(_("U kunt alleen in uw eigen dossier iets toevoegen."))
    if not resident_upload:
        _require_staff(uploaded_by)
    checked = upload_check(upload)
    stored_name = ""
    try:
        with transaction.atomic():
            case = _locked_open_case(case)
            document = Document(
                case=case,
                title=title,
                original_name=(upload.name or "")[:255],
                content_type=checked.content_type,
                size=len(checked.content),
                sha256=checked.sha256,
                is_shared=True if resident_upload else is_shared,
                uploaded_by=uploaded_by,
            )
            document.file.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False)
            stored_name = document.file.name or ""
            document.save()
            _log(uploaded_by, case.resident, "document", document.public_id, Action.CREATE)
            timeline_event_add(
                resident=case.resident,
                kind="casefiles.document_added",
                summary=_("Document toegevoegd: %(title)s") % {"title": title},
                params={"title": title},
                actor=uploaded_by,
                is_shared=document.is_shared,
                object_type="document",
                object_public_id=document.public_id,
            )
    except Exception:
        if stored_name:
            Document.file.field.storage.delete(stored_name)
        raise
    return document


# --- The resident's voice: comments and correction requests ------------------------

ITEM_MODELS: dict[str, Any] = {
    ItemKind.NOTE: Note,
    ItemKind.DOCUMENT: Document,
    ItemKind.GOAL: Goal,
    ItemKind.AGREEMENT: Agreement,
}


def _shared_item_case(*, kind: str, item: Any, resident: User) -> Case:
    if kind not in ITEM_MODELS or not isinstance(item, ITEM_MODELS[kind]):
        raise CaseFileError(_("Hierop kunt u niet reageren."))
    if not getattr(item, "is_shared", True) or item.case.resident_id != resident.pk:
        raise CaseFileError(_("Hierop kunt u niet reageren."))
    return _locked_open_case(item.case)


@transaction.atomic
def resident_comment_add(*, resident: User, kind: str, item: Any, body: str) -> ResidentComment:
    if resident.role != Role.RESIDENT:
        raise CaseFileError(_("Alleen de inwoner zelf kan hier reageren."))
    case = _shared_item_case(kind=kind, item=item, resident=resident)
    comment = ResidentComment.objects.create(
        case=case, item_kind=kind, item_public_id=item.public_id, author=resident, body=body
    )
    _log(resident, resident, f"{kind}.comment", comment.public_id, Action.CREATE)
    timeline_event_add(
        resident=resident,
        kind="casefiles.comment_added",
        summary=_("Reactie van de inwoner"),
        actor=resident,
        is_shared=True,
        object_type=kind,
        object_public_id=item.public_id,
    )
    return comment


@transaction.atomic
def correction_request_add(*, resident: User, kind: str, item: Any, text: str) -> CorrectionRequest:
    """The resident asks to correct a shared item (AVG art. 16)."""
    if resident.role != Role.RESIDENT:
        raise CaseFileError(_("Alleen de inwoner zelf kan om een correctie vragen."))
    case = _shared_item_case(kind=kind, item=item, resident=resident)
    if CorrectionRequest.objects.filter(
        item_kind=kind, item_public_id=item.public_id, status=CorrectionRequest.Status.OPEN
    ).exists():
        raise CaseFileError(_("U hebt hier al om een correctie gevraagd. U krijgt eerst antwoord op die vraag."))
    request = CorrectionRequest.objects.create(
        case=case, item_kind=kind, item_public_id=item.public_id, requested_by=resident, request_text=text
    )
    _log(resident, resident, "correctionrequest", request.public_id, Action.CREATE)
    timeline_event_add(
        resident=resident,
        kind="casefiles.correction_requested",
        summary=_("Vraag om correctie gestuurd"),
        actor=resident,
        is_shared=True,
        object_type="correctionrequest",
        object_public_id=request.public_id,
    )
    return request


@transaction.atomic
def correction_request_answer(
    *,
    correction: CorrectionRequest,
    accepted: bool,
    answer_text: str,
    answered_by: User,
    corrected_body: str = "",
) -> CorrectionRequest:
    """Staff answer a correction request; both question and answer are kept.
    Nobody answers their own request. When accepted for a note, the corrected
    text (if given) replaces the note's text in the same transaction."""
    _require_staff(answered_by)
    correction = CorrectionRequest.objects.select_for_update().select_related("case__resident").get(pk=correction.pk)
    if correction.requested_by_id == answered_by.pk:
        raise CaseFileError(_("U kunt uw eigen verzoek niet beantwoorden."))
    if correction.status != CorrectionRequest.Status.OPEN:
        raise CaseFileError(_("Dit verzoek is al beantwoord."))
    if not answer_text.strip():
        raise CaseFileError(_("Schrijf een antwoord voor de inwoner."))
    _locked_open_case(correction.case)
    correction.status = CorrectionRequest.Status.ACCEPTED if accepted else CorrectionRequest.Status.DECLINED
    correction.answer_text = answer_text.strip()
    correction.answered_by = answered_by
    correction.answered_at = timezone.now()
    correction.save(update_fields=["status", "answer_text", "answered_by", "answered_at"])
    if accepted and corrected_body.strip() and correction.item_kind == ItemKind.NOTE:
        note = Note.objects.filter(public_id=correction.item_public_id, case=correction.case).first()
        if note is not None and note.body != corrected_body.strip():
            correction.text_before_correction = note.body
            correction.save(update_fields=["text_before_correction"])
            note_correct(note=note, body=corrected_body.strip(), corrected_by=answered_by)
    resident = correction.case.resident
    _log(answered_by, resident, "correctionrequest", correction.public_id, Action.CHANGE)
    timeline_event_add(
        resident=resident,
        kind="casefiles.correction_answered",
        summary=_("Vraag om correctie beantwoord"),
        params={"accepted": accepted},
        actor=answered_by,
        is_shared=True,
        object_type="correctionrequest",
        object_public_id=correction.public_id,
    )
    return correction


@transaction.atomic
def note_correct(*, note: Note, body: str, corrected_by: User) -> Note:
    """Change a note's text (after an accepted correction request)."""
    _require_staff(corrected_by)
    _locked_open_case(note.case)
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    _log(corrected_by, note.case.resident, "note", note.public_id, Action.CHANGE)
    return note


@transaction.atomic
def case_handover(*, case: Case, from_worker: User, to_worker: User, handed_over_by: User) -> Case:
    """Transfer the resident from one worker to another in the same
    organisation. Access follows the assignment at once; the resident is
    told who their worker is now (in the file, and by a mail without
    content)."""
    from accounts.tasks import notification_email_send
    from organisations.models import CaseloadAssignment

    _require_staff(handed_over_by)
    case = _locked_open_case(case)
    if to_worker.role not in CASEWORK_ROLES or to_worker.organisation_id != case.organisation_id:
        raise CaseFileError(_("Kies een sociaal werker van uw eigen organisatie."))
    if not to_worker.is_active:
        raise CaseFileError(_("Deze sociaal werker kan nu niet inloggen. Kies iemand anders."))
    assignments = CaseloadAssignment.objects.select_for_update().filter(resident=case.resident)
    if not assignments.filter(worker=from_worker).exists():
        raise CaseFileError(_("Deze sociaal werker begeleidt de inwoner niet."))
    if assignments.filter(worker=to_worker).exists():
        raise CaseFileError(_("Deze sociaal werker begeleidt de inwoner al."))
    assignments.filter(worker=from_worker).update(worker=to_worker)
    # Chat memberships, coming appointments and open sockets follow, in the
    # same transaction (samenspraak/hooks.py).
    hook_call(
        CASELOAD_CHANGED,
        resident=case.resident,
        gained=[to_worker],
        lost=[from_worker],
        by=handed_over_by,
        handover=(from_worker, to_worker),
    )
    _log(handed_over_by, case.resident, "caseload_assignment", to_worker.public_id, Action.CHANGE)
    timeline_event_add(
        resident=case.resident,
        kind="casefiles.handover",
        summary=_("Dossier overgedragen aan %(name)s") % {"name": to_worker.full_name},
        params={"worker_user_id": to_worker.pk},
        actor=handed_over_by,
        is_shared=True,
        object_type="case",
        object_public_id=case.public_id,
    )
    resident_id = case.resident_id
    transaction.on_commit(lambda: notification_email_send.enqueue(user_id=resident_id, event="casefile"))
    return case


# --- "Liever in een gesprek" ------------------------------------------------------------

# The items a resident can mark, by the name in the URL.
TALK_WISH_MODELS: dict[str, Any] = {"goal": Goal, "step": GoalAction, "agreement": Agreement}


@transaction.atomic
def talk_wish_set(*, item: Any, resident: User, is_wished: bool) -> Any:
    """The resident marks a goal, step or agreement of their own file as
    "liever in een gesprek", or takes the mark away. Only the resident
    themselves (the caller reached the item through
    ``casefile_item_get_for_user(..., resident_only=True)``); the item is
    locked, the change logged as theirs. Setting an existing mark keeps its
    first moment."""
    model = type(item)
    if model not in TALK_WISH_MODELS.values():
        raise CaseFileError(_("Dit kunt u niet markeren."))
    locked = model.objects.select_for_update().get(pk=item.pk)
    case_id = locked.goal.case_id if model is GoalAction else locked.case_id
    if not Case.objects.filter(pk=case_id, resident=resident).exists():
        raise CaseFileError(_("Dit kunt u niet markeren."))
    if is_wished and locked.talk_wished_at is None:
        locked.talk_wished_at = timezone.now()
        locked.talk_wished_by = resident
    elif not is_wished:
        locked.talk_wished_at = None
        locked.talk_wished_by = None
    locked.save(update_fields=["talk_wished_at", "talk_wished_by"])
    access_log_record(
        actor=resident,
        accesses=[Access(resident, model.__name__.lower(), str(locked.public_id), AccessLogEntry.Action.CHANGE)],
    )
    return locked


def trusted_person_register_on_paper(
    *,
    case: Case,
    worker: User,
    first_name: str,
    last_name: str,
    email: str,
    scopes: list[str],
    ends_on: date | None,
    signed_form: UploadedFile,
) -> Any:
    """A worker registers a trusted person for a resident who cannot do it
    digitally. The form the resident signed goes into their case file
    (shared with them), and the consent is recorded as given on paper with
    that document as its reference. All or nothing: when the invitation is
    refused, the form is not kept either."""
    from organisations.services import OrganisationError, trusted_person_invite

    _require_staff(worker)
    name = f"{first_name} {last_name}".strip()
    document = document_add(
        case=case,
        title=_("Getekende toestemming: %(name)s mag meekijken") % {"name": name},
        upload=signed_form,
        is_shared=True,
        uploaded_by=worker,
    )
    try:
        with transaction.atomic():
            return trusted_person_invite(
                resident=case.resident,
                first_name=first_name,
                last_name=last_name,
                email=email,
                scopes=scopes,
                ends_on=ends_on,
                recorded_by=worker,
                document_reference=_("dossierdocument %(id)s") % {"id": document.public_id},
            )
    except OrganisationError as refused:
        # The invitation was refused: the signed form goes too (file and row),
        # so nothing is left half-done.
        storage, stored_name = document.file.storage, document.file.name
        Document.objects.filter(pk=document.pk).delete()
        if stored_name:
            storage.delete(stored_name)
        raise CaseFileError(str(refused)) from refused
