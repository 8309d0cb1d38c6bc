"""Preparation guides: a checklist of what a resident can already gather
before a first meeting (for example before debt counselling), with a short
explanation per item. An organisation keeps its guides as data (draft or
published); a worker gives a guide to a resident, or the resident starts a
published one. The resident ticks items, writes a note and uploads
documents per item; the worker sees what is ready and moves the documents
into the case file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspraak.storage import private_storage

TITLE_MAX = 200
INTRO_MAX = 3000
EXPLANATION_MAX = 1000
NOTE_MAX = 1000


class Guide(models.Model):
    """A guide of one organisation. Residents see only published guides."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="preparation_guides"
    )
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    intro = models.TextField(_("inleiding"), max_length=INTRO_MAX, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class GuideItem(models.Model):
    """One thing to prepare, with why it is needed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("wat"), max_length=TITLE_MAX)
    explanation = models.TextField(_("uitleg"), max_length=EXPLANATION_MAX, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Preparation(models.Model):
    """A resident working through one guide. ``given_by`` is the worker who
    gave it (empty when the resident started it). ``ready_at`` is set when
    the resident says it is ready."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guide = models.ForeignKey(Guide, on_delete=models.PROTECT, related_name="preparations")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preparations")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    # When a worker first opened it after the resident said it was ready.
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "resident"], name="preparation_one_per_guide_and_resident")
        ]

    def __str__(self) -> str:
        return f"Preparation {self.public_id}"

    @property
    def is_ready(self) -> bool:
        return self.ready_at is not None

    @property
    def is_new_for_worker(self) -> bool:
        """Ready, and no worker has opened it since."""
        return self.ready_at is not None and self.seen_at is None


class PreparationItem(models.Model):
    """The resident's answer to one item: ticked and a note. Made on the
    first save; an item without a row is not ticked and has no note."""

    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="answers")
    guide_item = models.ForeignKey(GuideItem, on_delete=models.PROTECT, related_name="+")
    is_done = models.BooleanField(default=False)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["preparation", "guide_item"], name="preparation_item_once"),
        ]

    def __str__(self) -> str:
        return f"Preparation item {self.pk}"


class PreparationDocument(models.Model):
    """A file the resident uploaded for one item, checked by content and kept
    in private storage. ``moved_at`` and ``casefile_document_id`` say when
    and as which case-file document it went into the case file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="documents")
    guide_item = models.ForeignKey(GuideItem, on_delete=models.PROTECT, related_name="+")
    # Named by a random id, never by the uploaded name.
    file = models.FileField(storage=private_storage, upload_to="preparation/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    casefile_document_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Preparation document {self.public_id}"

    @property
    def is_moved(self) -> bool:
        return self.moved_at is not None
