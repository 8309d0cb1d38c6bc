"""Writes for preparation guides. Each service checks its rules (plain
Dutch messages, nothing half-saved) and writes the access-log entry and,
where someone else should hear of it, the timeline event in the same
transaction.

Rules kept here:
- an organisation admin edits the guides of their own organisation; an
  item that residents already used cannot be removed (change its text);
- a resident starts only a published guide of their own organisation, a
  worker gives one only to a resident they reached through the caseload;
  one preparation per guide and resident;
- only the resident ticks, writes notes and uploads; files are checked by
  content (``casefiles.uploads``) before anything is stored;
- the worker moves every document not moved yet into the current case
  file in one transaction; each document goes once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.selectors import case_current
from casefiles.services import CaseFileError, document_add
from casefiles.timeline import timeline_event_add
from casefiles.uploads import UploadRefused, upload_check
from organisations.models import Organisation
from preparation.models import (
    EXPLANATION_MAX,
    INTRO_MAX,
    NOTE_MAX,
    TITLE_MAX,
    Guide,
    GuideItem,
    Preparation,
    PreparationDocument,
    PreparationItem,
)
from samenspraak.forms import has_hidden_characters
from samenspraak.storage import private_storage

Action = AccessLogEntry.Action
# A guide is a short checklist; more items would not be read.
ITEMS_MAX = 40


class PreparationError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def _log(actor: User, resident: User, object_type: str, object_id: uuid.UUID | str, action: str) -> None:
    access_log_record(actor=actor, accesses=[Access(resident, object_type, str(object_id), action)])


def _text_check(value: str, *, maximum: int, message: str, multiline: bool = False) -> str:
    value = value.strip()
    if len(value) > maximum:
        raise PreparationError(message % {"max": maximum})
    if has_hidden_characters(value, multiline=multiline):
        raise PreparationError(_("Deze tekst bevat onzichtbare of speciale tekens. Typ hem opnieuw."))
    return value


# --- Guides (organisation admin) -----------------------------------------------------


@dataclass(frozen=True)
class ItemData:
    """One row of the editor: an existing item (``public_id``) or a new one."""

    title: str
    explanation: str = ""
    public_id: uuid.UUID | None = None
    is_removed: bool = False


def _admin_check(user: User, organisation_id: int) -> None:
    if user.role != Role.ORGANISATION_ADMIN or user.organisation_id != organisation_id:
        raise PreparationError(_("Alleen de beheerder van de organisatie kan handleidingen maken en wijzigen."))


@transaction.atomic
def guide_create(*, organisation: Organisation, title: str, created_by: User) -> Guide:
    """A new guide, as a draft without items."""
    _admin_check(created_by, organisation.pk)
    title = _text_check(title, maximum=TITLE_MAX, message=_("Een titel is hoogstens %(max)s tekens."))
    if not title:
        raise PreparationError(_("Geef de handleiding een titel."))
    return Guide.objects.create(organisation=organisation, title=title)


@transaction.atomic
def guide_update(
    *, guide: Guide, title: str, intro: str, status: str, items: Sequence[ItemData], changed_by: User
) -> Guide:
    """Change the title, introduction, status and items (in the order given).

    An item with a ``public_id`` is changed or (``is_removed``) removed; one
    without is added. A published guide needs at least one item. An item
    residents already answered or uploaded for cannot be removed."""
    _admin_check(changed_by, guide.organisation_id)
    locked = Guide.objects.select_for_update().get(pk=guide.pk)
    title = _text_check(title, maximum=TITLE_MAX, message=_("Een titel is hoogstens %(max)s tekens."))
    intro = _text_check(
        intro, maximum=INTRO_MAX, message=_("De inleiding is hoogstens %(max)s tekens."), multiline=True
    )
    if not title:
        raise PreparationError(_("Geef de handleiding een titel."))
    if status not in Guide.Status.values:
        raise PreparationError(_("Kies concept of gepubliceerd."))
    existing = {item.public_id: item for item in GuideItem.objects.filter(guide=locked)}
    kept = [row for row in items if not row.is_removed and row.title.strip()]
    removed_ids = {row.public_id for row in items if row.is_removed}
    remaining = len(set(existing) - removed_ids) + sum(1 for row in kept if row.public_id is None)
    if remaining > ITEMS_MAX:
        raise PreparationError(_("Een handleiding heeft hoogstens %(max)s onderdelen.") % {"max": ITEMS_MAX})
    if status == Guide.Status.PUBLISHED and not remaining:
        raise PreparationError(_("Voeg minstens één onderdeel toe voordat u de handleiding publiceert."))
    for row in items:
        if row.public_id is not None and not row.is_removed and not row.title.strip():
            raise PreparationError(_("Geef elk onderdeel een titel, of kies 'Dit onderdeel weghalen'."))
        if row.public_id is not None and row.public_id not in existing:
            raise PreparationError(_("Dit onderdeel hoort niet bij deze handleiding. Laad de pagina opnieuw."))
    removed = [existing[row.public_id] for row in items if row.public_id is not None and row.is_removed]
    if removed:
        used = PreparationItem.objects.filter(guide_item__in=removed).exists()
        used = used or PreparationDocument.objects.filter(guide_item__in=removed).exists()
        if used:
            raise PreparationError(
                _("Inwoners hebben dit onderdeel al gebruikt. U kunt het niet meer weghalen; pas de tekst aan.")
            )
        GuideItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
    for position, row in enumerate(kept, start=1):
        item_title = _text_check(row.title, maximum=TITLE_MAX, message=_("Een onderdeel is hoogstens %(max)s tekens."))
        explanation = _text_check(
            row.explanation,
            maximum=EXPLANATION_MAX,
            message=_("De uitleg is hoogstens %(max)s tekens."),
            multiline=True,
        )
        if row.public_id is None:
            GuideItem.objects.create(guide=locked, position=position, title=item_title, explanation=explanation)
        else:
            item = existing[row.public_id]
            item.position, item.title, item.explanation = position, item_title, explanation
            item.save(update_fields=["position", "title", "explanation"])
    locked.title, locked.intro, locked.status = title, intro, status
    locked.save(update_fields=["title", "intro", "status", "updated_at"])
    return locked


# --- Starting a preparation -----------------------------------------------------------


@transaction.atomic
def preparation_start(*, guide: Guide, resident: User, started_by: User) -> Preparation:
    """The resident starts a published guide, or a worker gives it to them.
    Starting a guide the resident already has returns that preparation.
    A guide given by a worker is a shared timeline event (news for the
    resident); logged as a create."""
    if resident.role != Role.RESIDENT or resident.organisation_id != guide.organisation_id:
        raise PreparationError(_("Deze handleiding hoort niet bij deze inwoner."))
    if guide.status != Guide.Status.PUBLISHED:
        raise PreparationError(_("Deze handleiding is nog niet gepubliceerd."))
    is_given = started_by.pk != resident.pk
    if is_given and (started_by.role not in CASEWORK_ROLES or started_by.organisation_id != resident.organisation_id):
        raise PreparationError(_("Alleen een sociaal werker kan een handleiding aan een inwoner geven."))
    existing = Preparation.objects.filter(guide=guide, resident=resident).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            preparation = Preparation.objects.create(
                guide=guide, resident=resident, given_by=started_by if is_given else None
            )
    except IntegrityError:
        # Started twice at the same moment: the other request made it.
        return Preparation.objects.get(guide=guide, resident=resident)
    _log(started_by, resident, "preparation", preparation.public_id, Action.CREATE)
    if is_given:
        timeline_event_add(
            resident=resident,
            kind="preparation.given",
            summary=_("Handleiding gegeven: %(title)s") % {"title": guide.title},
            params={"title": guide.title, "preparation": str(preparation.public_id)},
            actor=started_by,
            is_shared=True,
            object_type="preparation",
            object_public_id=preparation.public_id,
        )
    return preparation


# --- The resident's answers -------------------------------------------------------------


@dataclass(frozen=True)
class ItemSaveResult:
    """What was stored: the tick and note always; ``document`` when a file
    was accepted, ``upload_refused`` (plain Dutch) when it was not."""

    item: PreparationItem
    document: PreparationDocument | None = None
    upload_refused: str = ""


def _resident_writes(preparation: Preparation, user: User) -> None:
    if user.role != Role.RESIDENT or user.pk != preparation.resident_id:
        raise PreparationError(_("Alleen de inwoner zelf vult de handleiding in."))


def _item_of(preparation: Preparation, guide_item: GuideItem) -> None:
    if guide_item.guide_id != preparation.guide_id:
        raise PreparationError(_("Dit onderdeel hoort niet bij deze handleiding."))


def preparation_item_save(
    *,
    preparation: Preparation,
    guide_item: GuideItem,
    is_done: bool,
    note: str,
    saved_by: User,
    upload: UploadedFile | None = None,
    title: str = "",
) -> ItemSaveResult:
    """Store the tick and the note of one item and, with ``upload``, a
    document for it.

    The tick and note are stored in their own transaction first, so a file
    that is refused (wrong kind, too big, a virus) does not lose them; the
    refusal comes back as ``upload_refused`` and no file is kept. A note that
    breaks a rule raises ``PreparationError`` and nothing is stored."""
    _resident_writes(preparation, saved_by)
    _item_of(preparation, guide_item)
    note = _text_check(
        note, maximum=NOTE_MAX, message=_("Een notitie is hoogstens %(max)s tekens lang."), multiline=True
    )
    with transaction.atomic():
        item, created = PreparationItem.objects.select_for_update().get_or_create(
            preparation=preparation, guide_item=guide_item, defaults={"is_done": is_done, "note": note}
        )
        if not created and (item.is_done, item.note) != (is_done, note):
            item.is_done, item.note = is_done, note
            item.save(update_fields=["is_done", "note", "updated_at"])
        _log(saved_by, preparation.resident, "preparation_item", guide_item.public_id, Action.CHANGE)
    if upload is None:
        return ItemSaveResult(item=item)
    try:
        document = preparation_document_add(
            preparation=preparation, guide_item=guide_item, upload=upload, uploaded_by=saved_by
        )
    except UploadRefused as refusal:
        return ItemSaveResult(item=item, upload_refused=str(refusal))
    return ItemSaveResult(item=item, document=document)


def preparation_document_add(
    *, preparation: Preparation, guide_item: GuideItem, upload: UploadedFile, uploaded_by: User
) -> PreparationDocument:
    """Check the file by content (``casefiles.uploads``; raises
    ``UploadRefused``), then store it in private storage. The file is
    written inside the transaction and removed again if it fails."""
    _resident_writes(preparation, uploaded_by)
    _item_of(preparation, guide_item)
    checked = upload_check(upload)
    stored_name = ""
    try:
        with transaction.atomic():
            document = PreparationDocument(
                preparation=preparation,
                guide_item=guide_item,
                original_name=(upload.name or "")[:255],
                content_type=checked.content_type,
                size=len(checked.content),
                sha256=checked.sha256,
                uploaded_by=uploaded_by,
            )
            document.file.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False)
            stored_name = document.file.name or ""
            document.save()
            _log(uploaded_by, preparation.resident, "preparation_document", document.public_id, Action.CREATE)
    except Exception:
        if stored_name:
            _files_delete([stored_name])
        raise
    return document


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: _files_delete([name]))


@transaction.atomic
def preparation_document_delete(*, document: PreparationDocument, deleted_by: User) -> None:
    """The resident removes a document that has not gone to the case file yet."""
    preparation = document.preparation
    _resident_writes(preparation, deleted_by)
    locked = PreparationDocument.objects.select_for_update().filter(pk=document.pk, moved_at__isnull=True).first()
    if locked is None:
        raise PreparationError(_("Dit document staat al in uw dossier. Daar kunt u het bekijken."))
    name = locked.file.name or ""
    locked.delete()
    _log(deleted_by, preparation.resident, "preparation_document", document.public_id, Action.DELETE)
    _delete_file_on_commit(name)


@transaction.atomic
def preparation_mark_ready(*, preparation: Preparation, marked_by: User) -> Preparation:
    """The resident says the preparation is ready for the worker to look at.
    A shared timeline event tells the worker. Saying it again changes nothing."""
    _resident_writes(preparation, marked_by)
    locked = Preparation.objects.select_for_update().get(pk=preparation.pk)
    if locked.ready_at is not None:
        return locked
    locked.ready_at = timezone.now()
    locked.save(update_fields=["ready_at", "updated_at"])
    _log(marked_by, preparation.resident, "preparation", preparation.public_id, Action.CHANGE)
    timeline_event_add(
        resident=preparation.resident,
        kind="preparation.ready",
        summary=_("Voorbereiding klaar: %(title)s") % {"title": preparation.guide.title},
        params={"title": preparation.guide.title, "preparation": str(preparation.public_id)},
        actor=marked_by,
        is_shared=True,
        object_type="preparation",
        object_public_id=preparation.public_id,
    )
    return locked


def preparation_seen_record(*, preparation: Preparation, worker: User) -> None:
    """A worker opened a preparation the resident said was ready: it is no
    longer new on the caseload. One UPDATE, only the first time."""
    if worker.role not in CASEWORK_ROLES or preparation.ready_at is None or preparation.seen_at is not None:
        return
    seen_at = timezone.now()
    Preparation.objects.filter(pk=preparation.pk, seen_at__isnull=True).update(seen_at=seen_at)
    preparation.seen_at = seen_at


# --- Into the case file -----------------------------------------------------------------


def _casefile_title(document: PreparationDocument) -> str:
    name = document.original_name.strip() or document.guide_item.title
    title = f"{document.guide_item.title}: {name}" if name != document.guide_item.title else name
    return title[:TITLE_MAX]


@transaction.atomic
def preparation_documents_move(*, preparation: Preparation, moved_by: User) -> list[PreparationDocument]:
    """Move every document of ``preparation`` not moved yet into the
    resident's current case file, shared with the resident, through
    ``casefiles.services.document_add`` (which checks the file again and
    logs each new case-file document).

    One transaction: the preparation row is locked, so two clicks move each
    document once; if one document fails, none is moved and the case-file
    files already written are removed. Each move is logged; one shared
    timeline event names the documents. Our own copies are deleted after
    commit. Returns the documents moved (empty when there were none)."""
    if moved_by.role not in CASEWORK_ROLES or moved_by.organisation_id != preparation.resident.organisation_id:
        raise PreparationError(_("Alleen de sociaal werker van de inwoner kan documenten naar het dossier zetten."))
    Preparation.objects.select_for_update().get(pk=preparation.pk)
    documents = list(
        PreparationDocument.objects.select_for_update(of=("self",))
        .filter(preparation=preparation, moved_at__isnull=True)
        .select_related("guide_item")
        .order_by("guide_item__position", "created_at", "pk")
    )
    if not documents:
        return []
    case = case_current(resident=preparation.resident)
    if case is None:
        raise PreparationError(
            _(
                "Deze inwoner heeft nog geen lopend dossier. Open eerst een dossier; daarna kunt u de documenten verplaatsen."
            )
        )
    written: list[str] = []
    old_names: list[str] = []
    moved_at = timezone.now()
    try:
        for document in documents:
            with document.file.open("rb") as handle:
                content = handle.read()
            upload = SimpleUploadedFile(document.original_name or "document", content, document.content_type)
            casefile_document = document_add(
                case=case, title=_casefile_title(document), upload=upload, is_shared=True, uploaded_by=moved_by
            )
            written.append(casefile_document.file.name or "")
            old_names.append(document.file.name or "")
            PreparationDocument.objects.filter(pk=document.pk).update(
                moved_at=moved_at, moved_by=moved_by, casefile_document_id=casefile_document.public_id, file=""
            )
            document.moved_at, document.casefile_document_id = moved_at, casefile_document.public_id
            _log(moved_by, preparation.resident, "preparation_document", document.public_id, Action.CHANGE)
        titles = [_casefile_title(document) for document in documents]
        timeline_event_add(
            resident=preparation.resident,
            kind="preparation.documents_moved",
            summary=_("Documenten uit de voorbereiding in het dossier gezet: %(titles)s")
            % {"titles": ", ".join(titles)},
            params={"title": preparation.guide.title, "count": len(documents), "documents": ", ".join(titles)[:1000]},
            actor=moved_by,
            is_shared=True,
            object_type="preparation",
            object_public_id=preparation.public_id,
        )
    except (CaseFileError, UploadRefused) as error:
        _files_delete(written)
        raise PreparationError(str(error)) from error
    except Exception:
        _files_delete(written)
        raise
    transaction.on_commit(lambda: _files_delete(old_names))
    return documents


def _files_delete(names: Sequence[str]) -> None:
    """Remove stored files (ours and the case file's share one private storage)."""
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)
