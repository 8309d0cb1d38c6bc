"""E-learning in small steps and the online library (issue 12).

A ``Module`` is the stable identity of an e-learning ("Hoe stem ik?"); its
content lives in numbered ``ModuleVersion`` rows. Authors edit a draft
version; publishing it makes it the one new runs start on. A published
version is never changed again: editing starts a new draft (a copy), so a
resident's ``ModuleRun`` keeps pointing at the version it started on and
its saved place stays valid.

A ``LibraryItem`` is an article for residents: for everyone in the
organisation, or for one resident. Every save keeps a ``LibraryRevision``.
Markdown is rendered once, at save, and sanitised with nh3 (``markup.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("gepubliceerd")
    RETIRED = "retired", _("vervangen door een nieuwere versie")


class Topic(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("onderwerp"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="learning_topic_unique")]

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # The version new runs start on; None until the first publication.
    published_version = models.ForeignKey(
        "learning.ModuleVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Module {self.public_id}"


class ModuleVersion(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("korte uitleg"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["module", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="learning_version_number_unique"),
            # One draft at a time per module.
            models.UniqueConstraint(fields=["module"], condition=Q(status="draft"), name="learning_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.number})"


class StepKind(models.TextChoices):
    TEXT = "text", _("tekst")
    IMAGE = "image", _("afbeelding")
    QUESTION = "question", _("vraag")
    VIDEO = "video", _("video")


class Step(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    title = models.CharField(_("titel van de stap"), max_length=120)
    body_markdown = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(blank=True)
    image_data = models.BinaryField(null=True, blank=True, editable=False)
    image_type = models.CharField(max_length=40, blank=True)
    image_alt = models.CharField(_("beschrijving van de afbeelding"), max_length=300, blank=True)
    # A short clip (MP4 or WebM, checked by content) with WebVTT captions;
    # a video without captions is allowed, but the author is warned.
    video_data = models.BinaryField(null=True, blank=True, editable=False)
    video_type = models.CharField(max_length=40, blank=True)
    captions_vtt = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="learning_step_position_unique"),
            models.CheckConstraint(condition=~Q(kind="image") | ~Q(image_alt=""), name="learning_image_needs_alt_text"),
        ]

    def __str__(self) -> str:
        return f"Step {self.position}: {self.title}"


class Choice(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("antwoord"), max_length=200)
    feedback = models.CharField(_("uitleg bij dit antwoord"), max_length=500)
    is_correct = models.BooleanField(_("goed antwoord"), default=False)

    class Meta:
        ordering = ["step", "position"]

    def __str__(self) -> str:
        return self.text


class Assignment(models.Model):
    """A worker put the module on a resident's list and follows it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "resident"], name="learning_assignment_unique")]

    def __str__(self) -> str:
        return f"Assignment {self.public_id}"


class ModuleRun(models.Model):
    """One go of a resident through one version of a module. ``steps_done``
    is the resident's saved place: steps 1..steps_done are done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="runs")
    steps_done = models.PositiveIntegerField(default=0)
    is_shared = models.BooleanField(_("antwoorden delen met mijn werker"), default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "module"], condition=Q(finished_at__isnull=True), name="learning_one_open_run"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.public_id}"


class Answer(models.Model):
    run = models.ForeignKey(ModuleRun, on_delete=models.CASCADE, related_name="answers")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "step"], name="learning_answer_once_per_step")]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class LibraryItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("korte uitleg"), max_length=300, blank=True)
    body_markdown = models.TextField(_("tekst"))
    body_html = models.TextField(blank=True)
    # None: every resident of the organisation; else only this resident.
    audience_resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Or only the active participants of this training.
    audience_training = models.ForeignKey(
        "learning.Training", on_delete=models.CASCADE, null=True, blank=True, related_name="library_items"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title


class LibraryRevision(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    body_markdown = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="learning_revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.number})"


class TrainingStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("open voor aanmelden")
    CLOSED = "closed", _("gesloten")


class Training(models.Model):
    """A blended training (an assertiveness course): participants, a
    schedule of the organisation's group sessions, library items for its
    participants, modules, and a group conversation made on publication."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titel"), max_length=120)
    description = models.TextField(_("beschrijving"), max_length=3000, blank=True)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    status = models.CharField(max_length=12, choices=TrainingStatus.choices, default=TrainingStatus.DRAFT)
    sessions = models.ManyToManyField("appointments.GroupSession", blank=True, related_name="+")
    modules = models.ManyToManyField(Module, blank=True, related_name="trainings")
    # The messaging app's group conversation (made on publication); kept
    # as its public id so learning reaches it only through messaging's access.
    conversation_public_id = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="learning_training_capacity")]

    def __str__(self) -> str:
        return self.title


class TrainingParticipant(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "resident"],
                condition=Q(left_at__isnull=True),
                name="learning_one_active_participation",
            )
        ]

    def __str__(self) -> str:
        return f"Participant {self.public_id}"


class Author(models.Model):
    """A social worker the organisation admin designated to write learning
    content (admins and team leads write it by their role)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_author")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Learning author {self.user_id}"
