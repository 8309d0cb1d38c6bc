"""Writes for e-learning and the library. Each service checks its rules
(plain Dutch messages in ``LearningError``, nothing stored when one is
broken), runs in a transaction, and logs what touches a resident's data
(runs, answers, assignments, items written for one resident).

Rules kept here:
- only a draft version is edited; a published version never changes, so a
  run keeps the content it started on (``module_draft_start`` copies the
  published version into a new draft);
- an image step needs an image that passes the case file's upload check
  and a description (alt text);
- a question needs at least two answers, each with kind feedback;
- a resident saves steps in order, only steps of the version their run is
  on; finishing a run is a timeline event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import Access, access_log_record
from blend.services import blend_channel_used
from casefiles.timeline import timeline_event_add
from casefiles.uploads import UploadRefused, upload_check
from learning.access import is_author
from learning.markup import markdown_to_safe_html
from learning.models import (
    Answer,
    Assignment,
    Author,
    Choice,
    LibraryItem,
    LibraryRevision,
    Module,
    ModuleRun,
    ModuleVersion,
    Status,
    Step,
    StepKind,
    Topic,
    Training,
)
from organisations.models import Organisation
from samenspraak.policy import Action

# The blend plan's online channel (``blend.models.Channel.ELEARNING``).
ELEARNING_CHANNEL = "elearning"
CHOICES_MIN = 2
CHOICES_MAX = 4
TITLE_MAX = 120
TEXT_MAX = 20_000
IMAGE_MAX_BYTES = 3 * 1024 * 1024
CAPTIONS_MAX_BYTES = 200 * 1024


class LearningError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


@dataclass(frozen=True)
class ChoiceData:
    text: str
    feedback: str
    is_correct: bool = False


@dataclass(frozen=True)
class StepData:
    kind: str
    title: str
    body_markdown: str = ""
    image_alt: str = ""
    choices: list[ChoiceData] = field(default_factory=list)


@dataclass(frozen=True)
class LibraryItemData:
    title: str
    body_markdown: str
    summary: str = ""
    topic_name: str = ""
    audience_resident: User | None = None
    is_published: bool = False
    # Or only the active participants of this training.
    audience_training: Training | None = None


def _author_check(user: User, organisation_id: int) -> None:
    if not is_author(user) or user.organisation_id != organisation_id:
        raise LearningError(_("Alleen een beheerder of teamleider van de organisatie kan lesstof maken."))


def _title_check(title: str) -> str:
    title = title.strip()
    if not title:
        raise LearningError(_("Geef een titel."))
    if len(title) > TITLE_MAX:
        raise LearningError(_("Een titel is hoogstens %(max)s tekens lang.") % {"max": TITLE_MAX})
    return title


def _text_check(text: str) -> None:
    if len(text) > TEXT_MAX:
        raise LearningError(_("De tekst is te lang: hoogstens %(max)s tekens.") % {"max": TEXT_MAX})


# --- Authoring modules -------------------------------------------------------------------


@transaction.atomic
def module_create(*, organisation: Organisation, created_by: User, title: str, summary: str = "") -> Module:
    """A new module with an empty draft (version 1)."""
    _author_check(created_by, organisation.pk)
    title = _title_check(title)
    module = Module.objects.create(organisation=organisation, created_by=created_by)
    ModuleVersion.objects.create(
        module=module, number=1, title=title, summary=summary.strip()[:300], created_by=created_by
    )
    return module


def _draft_check(version: ModuleVersion, user: User) -> None:
    _author_check(user, version.module.organisation_id)
    if version.status != Status.DRAFT:
        raise LearningError(
            _("Deze versie is al gepubliceerd en verandert niet meer. Maak eerst een nieuwe versie om te wijzigen.")
        )


@transaction.atomic
def module_version_change(*, version: ModuleVersion, changed_by: User, title: str, summary: str) -> ModuleVersion:
    _draft_check(version, changed_by)
    version.title = _title_check(title)
    version.summary = summary.strip()[:300]
    version.save(update_fields=["title", "summary"])
    return version


def _image_checked(image: UploadedFile | None) -> tuple[bytes, str]:
    if image is None:
        raise LearningError(_("Kies een afbeelding (PNG of JPEG)."))
    try:
        checked = upload_check(image)
    except UploadRefused as error:
        raise LearningError(str(error)) from error
    if not checked.content_type.startswith("image/"):
        raise LearningError(_("Dit is geen afbeelding. Kies een PNG- of JPEG-bestand."))
    if len(checked.content) > IMAGE_MAX_BYTES:
        raise LearningError(_("Deze afbeelding is te groot (hoogstens 3 MB). Kies een kleinere."))
    return checked.content, checked.content_type


def _video_checked(video: UploadedFile | None) -> tuple[bytes, str]:
    """An MP4 or WebM file, recognised by its first bytes (not its name)."""
    if video is None:
        raise LearningError(_("Kies een video (MP4 of WebM)."))
    limit = settings.DOCUMENT_MAX_BYTES
    if video.size is None or video.size == 0:
        raise LearningError(_("Dit bestand is leeg. Kies een ander bestand."))
    data = video.read(limit + 1)
    if len(data) > limit:
        raise LearningError(
            _("Deze video is te groot (hoogstens %(mb)s MB). Maak hem korter of kleiner.") % {"mb": limit // 1_048_576}
        )
    if data[4:8] == b"ftyp":
        return data, "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return data, "video/webm"
    raise LearningError(_("Dit is geen video die wij kunnen tonen. Kies een MP4- of WebM-bestand."))


def _captions_checked(captions: UploadedFile) -> str:
    """A WebVTT file: UTF-8 text that starts with "WEBVTT"."""
    data = captions.read(CAPTIONS_MAX_BYTES + 1)
    if len(data) > CAPTIONS_MAX_BYTES:
        raise LearningError(_("Het ondertitelbestand is te groot (hoogstens 200 kB)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LearningError(_("Het ondertitelbestand is geen WebVTT-bestand (.vtt).")) from error
    if not text.startswith("WEBVTT") or "\x00" in text:
        raise LearningError(_("Het ondertitelbestand is geen WebVTT-bestand (.vtt)."))
    return text


def step_data_check(data: StepData, *, has_image: bool, has_video: bool = False) -> None:
    """Raise ``LearningError`` with the first broken rule."""
    if data.kind not in StepKind.values:
        raise LearningError(_("Kies wat voor stap dit is: tekst, afbeelding of vraag."))
    _title_check(data.title)
    _text_check(data.body_markdown)
    if data.kind == StepKind.TEXT and not data.body_markdown.strip():
        raise LearningError(_("Schrijf de tekst van deze stap."))
    if data.kind == StepKind.IMAGE:
        if not data.image_alt.strip():
            raise LearningError(
                _(
                    "Beschrijf wat er op de afbeelding staat. Mensen die niet goed zien, "
                    "horen deze beschrijving voorgelezen."
                )
            )
        if not has_image:
            raise LearningError(_("Kies een afbeelding (PNG of JPEG)."))
    if data.kind == StepKind.VIDEO and not has_video:
        raise LearningError(_("Kies een video (MP4 of WebM)."))
    if data.kind == StepKind.QUESTION:
        if not data.body_markdown.strip():
            raise LearningError(_("Schrijf de vraag."))
        choices = [c for c in data.choices if c.text.strip()]
        if not CHOICES_MIN <= len(choices) <= CHOICES_MAX:
            raise LearningError(
                _("Een vraag heeft %(min)s tot %(max)s antwoorden.") % {"min": CHOICES_MIN, "max": CHOICES_MAX}
            )
        if any(not c.feedback.strip() for c in choices):
            raise LearningError(_("Schrijf bij elk antwoord een vriendelijke uitleg."))
        if not any(c.is_correct for c in choices):
            raise LearningError(_("Kies minstens één goed antwoord."))


def _choices_write(step: Step, data: StepData) -> None:
    Choice.objects.filter(step=step).delete()
    if data.kind != StepKind.QUESTION:
        return
    Choice.objects.bulk_create(
        Choice(
            step=step, position=n, text=c.text.strip()[:200], feedback=c.feedback.strip()[:500], is_correct=c.is_correct
        )
        for n, c in enumerate((c for c in data.choices if c.text.strip()), start=1)
    )


@transaction.atomic
def step_add(
    *,
    version: ModuleVersion,
    added_by: User,
    data: StepData,
    image: UploadedFile | None = None,
    video: UploadedFile | None = None,
    captions: UploadedFile | None = None,
) -> Step:
    """Add a step at the end of a draft version."""
    _draft_check(version, added_by)
    step_data_check(data, has_image=image is not None, has_video=video is not None)
    image_data, image_type = _image_checked(image) if data.kind == StepKind.IMAGE else (None, "")
    video_data, video_type = _video_checked(video) if data.kind == StepKind.VIDEO else (None, "")
    captions_vtt = _captions_checked(captions) if data.kind == StepKind.VIDEO and captions is not None else ""
    # Locked first: two steps added at once get different positions. (The
    # aggregate runs apart: PostgreSQL refuses FOR UPDATE with an aggregate.)
    ModuleVersion.objects.select_for_update().filter(pk=version.pk).first()
    last = Step.objects.filter(version=version).aggregate(n=Max("position"))["n"]
    step = Step.objects.create(
        version=version,
        position=(last or 0) + 1,
        kind=data.kind,
        title=data.title.strip(),
        body_markdown=data.body_markdown,
        body_html=markdown_to_safe_html(data.body_markdown),
        image_data=image_data,
        image_type=image_type,
        image_alt=data.image_alt.strip()[:300] if data.kind == StepKind.IMAGE else "",
        video_data=video_data,
        video_type=video_type,
        captions_vtt=captions_vtt,
    )
    _choices_write(step, data)
    return step


@transaction.atomic
def step_change(
    *,
    step: Step,
    changed_by: User,
    data: StepData,
    image: UploadedFile | None = None,
    video: UploadedFile | None = None,
    captions: UploadedFile | None = None,
) -> Step:
    """Change a step of a draft version (a new image, video or captions file
    is optional: the old one stays)."""
    _draft_check(step.version, changed_by)
    if data.kind != step.kind:
        raise LearningError(_("Het soort stap verandert niet. Verwijder de stap en maak een nieuwe."))
    step_data_check(
        data, has_image=image is not None or bool(step.image_data), has_video=video is not None or bool(step.video_data)
    )
    if image is not None and data.kind == StepKind.IMAGE:
        step.image_data, step.image_type = _image_checked(image)
    if video is not None and data.kind == StepKind.VIDEO:
        step.video_data, step.video_type = _video_checked(video)
    if captions is not None and data.kind == StepKind.VIDEO:
        step.captions_vtt = _captions_checked(captions)
    step.title = data.title.strip()
    step.body_markdown = data.body_markdown
    step.body_html = markdown_to_safe_html(data.body_markdown)
    if data.kind == StepKind.IMAGE:
        step.image_alt = data.image_alt.strip()[:300]
    step.save()
    _choices_write(step, data)
    return step


@transaction.atomic
def step_delete(*, step: Step, deleted_by: User) -> None:
    """Remove a step of a draft; the ones after it move up."""
    _draft_check(step.version, deleted_by)
    ModuleVersion.objects.select_for_update().filter(pk=step.version_id).first()
    Step.objects.filter(pk=step.pk).delete()
    # Two passes keep the unique (version, position) constraint satisfied.
    later = Step.objects.filter(version_id=step.version_id, position__gt=step.position)
    later.update(position=F("position") + 10_000)
    Step.objects.filter(version_id=step.version_id, position__gt=10_000).update(position=F("position") - 10_001)


@transaction.atomic
def module_draft_start(*, module: Module, started_by: User) -> ModuleVersion:
    """A new draft, copied from the published version (or the draft there
    already is). Runs on the published version are not touched."""
    _author_check(started_by, module.organisation_id)
    Module.objects.select_for_update().filter(pk=module.pk).first()
    existing = ModuleVersion.objects.filter(module=module, status=Status.DRAFT).first()
    if existing is not None:
        return existing
    source = module.published_version
    if source is None:
        raise LearningError(_("Deze module heeft nog geen gepubliceerde versie."))
    number = (ModuleVersion.objects.filter(module=module).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = ModuleVersion.objects.create(
        module=module, number=number, title=source.title, summary=source.summary, created_by=started_by
    )
    for step in source.steps.prefetch_related("choices"):
        choices = list(step.choices.all())
        step.pk = None
        step.id = None
        step._state.adding = True
        step.public_id = uuid.uuid4()
        step.version = draft
        step.save()
        Choice.objects.bulk_create(
            Choice(step=step, position=c.position, text=c.text, feedback=c.feedback, is_correct=c.is_correct)
            for c in choices
        )
    return draft


@transaction.atomic
def module_publish(*, version: ModuleVersion, published_by: User) -> ModuleVersion:
    """Make a draft the version new runs start on. The version before it is
    kept (runs started on it go on there)."""
    _draft_check(version, published_by)
    if not version.steps.exists():
        raise LearningError(_("Een module zonder stappen kan niet gepubliceerd worden. Voeg eerst een stap toe."))
    module = Module.objects.select_for_update().get(pk=version.module_id)
    ModuleVersion.objects.filter(module=module, status=Status.PUBLISHED).update(status=Status.RETIRED)
    version.status = Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    module.published_version = version
    module.save(update_fields=["published_version"])
    return version


# --- Residents: runs and answers --------------------------------------------------------------


def _resident_check(resident: User, by: User) -> None:
    if resident.role != Role.RESIDENT or by.pk != resident.pk:
        raise LearningError(_("Alleen de inwoner zelf doet deze module."))


def _log(actor: User, resident: User, object_type: str, object_id: str, action: str) -> None:
    access_log_record(actor=actor, accesses=[Access(resident, object_type, object_id, action)])


@transaction.atomic
def module_run_start(*, module: Module, resident: User) -> ModuleRun:
    """The resident's open run of ``module``, or a new one on the published
    version (also to do a finished module again)."""
    if resident.role != Role.RESIDENT or resident.organisation_id != module.organisation_id:
        raise LearningError(_("Deze module is niet voor u."))
    if module.published_version_id is None:
        raise LearningError(_("Deze module is nog niet klaar."))
    existing = ModuleRun.objects.filter(resident=resident, module=module, finished_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = ModuleRun.objects.create(resident=resident, module=module, version_id=module.published_version_id)
    except IntegrityError:
        # Started twice at once (two tabs): the other one made it.
        return ModuleRun.objects.get(resident=resident, module=module, finished_at__isnull=True)
    _log(resident, resident, "learning_run", str(run.public_id), Action.CREATE)
    return run


@transaction.atomic
def step_save(*, run: ModuleRun, step_public_id: str, saved_by: User, choice_id: int | None = None) -> ModuleRun:
    """Save the resident's step: the next one, or a question done before
    (its answer changes). A step of another version or module, or one
    further on, is refused; so is a question without an answer of its own."""
    _resident_check(run.resident, saved_by)
    locked = ModuleRun.objects.select_for_update().get(pk=run.pk)
    try:
        step_uuid = uuid.UUID(str(step_public_id))
    except ValueError:
        step_uuid = None
    step = Step.objects.filter(public_id=step_uuid, version_id=locked.version_id).first() if step_uuid else None
    if step is None:
        raise LearningError(_("Deze stap hoort niet bij deze module."))
    if step.position > locked.steps_done + 1:
        raise LearningError(_("Doe eerst de stappen hiervoor. U gaat verder waar u gebleven was."))
    if locked.finished_at is not None and step.kind != StepKind.QUESTION:
        return locked
    if step.kind == StepKind.QUESTION:
        choice = Choice.objects.filter(step=step, pk=choice_id).first() if choice_id else None
        if choice is None:
            raise LearningError(_("Kies een antwoord."))
        Answer.objects.update_or_create(run=locked, step=step, defaults={"choice": choice})
    if step.position == locked.steps_done + 1:
        locked.steps_done = step.position
        if not Step.objects.filter(version_id=locked.version_id, position__gt=step.position).exists():
            locked.finished_at = timezone.now()
        locked.save(update_fields=["steps_done", "finished_at", "updated_at"])
        if locked.finished_at is not None:
            _run_finished(locked)
    _log(saved_by, locked.resident, "learning_run", str(locked.public_id), Action.CHANGE)
    return locked


def _run_finished(run: ModuleRun) -> None:
    timeline_event_add(
        resident=run.resident,
        kind="learning.module_finished",
        summary=_("Module afgerond: %(title)s") % {"title": run.version.title},
        params={"title": run.version.title},
        actor=run.resident,
        is_shared=True,
        object_type="learning_run",
        object_public_id=run.public_id,
    )
    blend_channel_used(resident=run.resident, channel=ELEARNING_CHANNEL)


@transaction.atomic
def run_share_set(*, run: ModuleRun, set_by: User, is_shared: bool) -> ModuleRun:
    """The resident shows (or stops showing) their answers to their worker."""
    _resident_check(run.resident, set_by)
    ModuleRun.objects.filter(pk=run.pk).update(is_shared=is_shared)
    run.is_shared = is_shared
    _log(set_by, run.resident, "learning_run", str(run.public_id), Action.CHANGE)
    return run


@transaction.atomic
def module_assign(*, module: Module, resident: User, assigned_by: User) -> Assignment:
    """Put a published module on a resident's list (the caller reached the
    resident through the caseload). Assigning twice changes nothing."""
    if (
        assigned_by.role not in (Role.SOCIAL_WORKER, Role.TEAM_LEAD)
        or assigned_by.organisation_id != resident.organisation_id
    ):
        raise LearningError(_("Alleen de werker van de inwoner kan een module klaarzetten."))
    if module.organisation_id != resident.organisation_id or module.published_version_id is None:
        raise LearningError(_("Kies een gepubliceerde module."))
    assignment, created = Assignment.objects.get_or_create(
        module=module, resident=resident, defaults={"assigned_by": assigned_by}
    )
    if created:
        _log(assigned_by, resident, "learning_assignment", str(assignment.public_id), Action.CREATE)
    return assignment


# --- Library -----------------------------------------------------------------------------------


@transaction.atomic
def library_item_save(
    *, organisation: Organisation, saved_by: User, data: LibraryItemData, item: LibraryItem | None = None
) -> LibraryItem:
    """Create or change an article; every save keeps a revision."""
    _author_check(saved_by, organisation.pk)
    title = _title_check(data.title)
    _text_check(data.body_markdown)
    if not data.body_markdown.strip():
        raise LearningError(_("Schrijf de tekst van het artikel."))
    audience = data.audience_resident
    if audience is not None and (audience.role != Role.RESIDENT or audience.organisation_id != organisation.pk):
        raise LearningError(_("Kies een inwoner van uw organisatie, of iedereen."))
    training = data.audience_training
    if training is not None and (audience is not None or training.organisation_id != organisation.pk):
        raise LearningError(_("Kies één inwoner, één training van uw organisatie, of iedereen."))
    topic = None
    if data.topic_name.strip():
        topic, _created = Topic.objects.get_or_create(organisation=organisation, name=data.topic_name.strip()[:80])
    if item is None:
        item = LibraryItem(organisation=organisation, created_by=saved_by)
    else:
        item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    item.title = title
    item.summary = data.summary.strip()[:300]
    item.body_markdown = data.body_markdown
    item.body_html = markdown_to_safe_html(data.body_markdown)
    item.topic = topic
    item.audience_resident = audience
    item.audience_training = training
    if data.is_published and item.status != Status.PUBLISHED:
        item.published_at = timezone.now()
    item.status = Status.PUBLISHED if data.is_published else Status.DRAFT
    item.save()
    number = (item.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    LibraryRevision.objects.create(
        item=item,
        number=number,
        title=item.title,
        body_markdown=item.body_markdown,
        status=item.status,
        saved_by=saved_by,
    )
    if audience is not None:
        _log(saved_by, audience, "library_item", str(item.public_id), Action.CHANGE)
    return item


# --- Who writes learning content -------------------------------------------------------------


def _admin_of(admin: User) -> int:
    if admin.role != Role.ORGANISATION_ADMIN or admin.organisation_id is None:
        raise LearningError(_("Alleen de beheerder kiest wie lesstof mag maken."))
    return admin.organisation_id


@transaction.atomic
def author_designate(*, admin: User, worker: User) -> Author:
    """The organisation admin lets a social worker of the organisation
    write modules, articles and trainings."""
    organisation_id = _admin_of(admin)
    if worker.role != Role.SOCIAL_WORKER or worker.organisation_id != organisation_id or not worker.is_active:
        raise LearningError(_("Kies een sociaal werker van uw organisatie."))
    author, _created = Author.objects.get_or_create(
        user=worker, defaults={"organisation_id": organisation_id, "added_by": admin}
    )
    return author


@transaction.atomic
def author_remove(*, admin: User, worker: User) -> None:
    """From now on the worker no longer writes learning content; what they
    wrote stays, owned by the organisation."""
    organisation_id = _admin_of(admin)
    deleted, _rows = Author.objects.filter(user=worker, organisation_id=organisation_id).delete()
    if not deleted:
        raise LearningError(_("Deze medewerker maakt geen lesstof."))
