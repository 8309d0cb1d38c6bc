"""The case file (dossier): a resident's support questions, goals, agreements,
notes, documents and the timeline of what happened.

Every item that can reach the resident has ``is_shared``: shared with the
resident, or internal to the organisation. Internal items never reach the
resident's pages, exports or notifications; the selectors filter on it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspraak.storage import private_storage


class CaseQuerySet(models.QuerySet["Case"]):
    def current(self) -> CaseQuerySet:
        return self.exclude(status=Case.Status.CLOSED)


class Case(models.Model):
    """One period of support. A resident has at most one open or paused case;
    closed cases stay as history and a new case can be opened."""

    class Status(models.TextChoices):
        OPEN = "open", _("lopend")
        PAUSED = "paused", _("gepauzeerd")
        CLOSED = "closed", _("afgesloten")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_reason = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=~models.Q(status="closed"),
                name="one_current_case_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.public_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class SupportQuestion(models.Model):
    """A hulpvraag: what the resident wants help with, in their words."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("mee bezig")
        ANSWERED = "answered", _("beantwoord")
        WITHDRAWN = "withdrawn", _("niet meer nodig")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class TalkWish(models.Model):
    """The resident's "liever in een gesprek": they would rather talk about
    this goal, step or agreement face to face than online. Set and cleared
    only by the resident (``casefiles.services.talk_wish_set``); the worker
    sees it on the file, the day page and the blend plan's review."""

    talk_wished_at = models.DateTimeField(null=True, blank=True)
    talk_wished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_talk_wished(self) -> bool:
        return self.talk_wished_at is not None


class Goal(TalkWish):
    class Status(models.TextChoices):
        ACTIVE = "active", _("mee bezig")
        ACHIEVED = "achieved", _("gehaald")
        STOPPED = "stopped", _("gestopt")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    question = models.ForeignKey(
        SupportQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    target_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class GoalAction(TalkWish):
    """An agreed step towards a goal, and who does it."""

    class Owner(models.TextChoices):
        RESIDENT = "resident", _("inwoner")
        WORKER = "worker", _("sociaal werker")
        TOGETHER = "together", _("samen")
        OTHER = "other", _("iemand anders")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.TOGETHER)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description


class Agreement(TalkWish):
    """An afspraak between resident and worker ("I call the housing
    corporation before Friday")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    text = models.CharField(max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Note(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)
    is_shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note {self.public_id}"


class Document(models.Model):
    """An uploaded file, stored in private storage and served only through
    an access-checked view. The content decided its kind, not its name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    # Named by a random id, never by the uploaded name.
    file = models.FileField(storage=private_storage, upload_to="documents/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_shared = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    """The kinds of case-file items a resident can react to."""

    NOTE = "note", _("notitie")
    DOCUMENT = "document", _("document")
    GOAL = "goal", _("doel")
    AGREEMENT = "agreement", _("afspraak")


class ResidentComment(models.Model):
    """A resident's reaction to a shared item."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    item_public_id = models.UUIDField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment {self.public_id}"


class CorrectionRequest(models.Model):
    """A request to correct a shared item (AVG art. 16). Request and answer
    are both kept; the item itself changes only through its own service."""

    class Status(models.TextChoices):
        OPEN = "open", _("wacht op antwoord")
        ACCEPTED = "accepted", _("aangepast")
        DECLINED = "declined", _("niet aangepast")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="correction_requests")
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    item_public_id = models.UUIDField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request_text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer_text = models.TextField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the answer changed the item: its text before, kept as evidence.
    text_before_correction = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"Correction request {self.public_id}"


class TimelineEvent(models.Model):
    """What happened, from every capability, through one mechanism:
    ``casefiles.timeline.timeline_event_add``. A kind plus params (plain
    values), told per reader at display time; ``summary`` is the fallback
    text for unknown kinds and old rows. Never message content."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timeline_events")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="timeline_events")
    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=60)
    summary = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_shared = models.BooleanField(default=False)
    object_type = models.CharField(max_length=60, blank=True)
    object_public_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["resident", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class CaseFileVisit(models.Model):
    """When a worker last opened a resident's file, to count what is new
    for them on the caseload ("unread")."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "resident"], name="casefile_visit_unique")]

    def __str__(self) -> str:
        return f"Visit {self.worker_id}/{self.resident_id}"
