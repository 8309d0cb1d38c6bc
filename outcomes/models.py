"""Effect measurement: instruments as data (versioned), and measurements of a
resident at a moment of their support.

An instrument (the Zelfredzaamheid-Matrix, the resident's own
self-assessment, the participation ladder) is global (shipped, no
organisation) or an organisation's own. Its content lives in versions: a
version holds the items (for the ZRM: the 13 domains) and the scale with
labelled points. A version is frozen once a measurement uses it, so a score
always means what it meant when it was given; a change makes a new version.

A measurement is a draft until signed off; a signed-off measurement is
locked (``outcomes.services`` refuses every change). A score without a value
is an item the resident skipped.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Every shipped scale lies within these bounds; the service checks each
# score against the points of its own version.
VALUE_MIN = 0
VALUE_MAX = 10


class Instrument(models.Model):
    class Kind(models.TextChoices):
        MATRIX = "matrix", _("matrix")
        SELF_ASSESSMENT = "self_assessment", _("zelfinschatting")
        LADDER = "ladder", _("ladder")
        QUESTIONNAIRE = "questionnaire", _("vragenlijst")

    class FilledBy(models.TextChoices):
        WORKER = "worker", _("de medewerker")
        RESIDENT = "resident", _("de inwoner")
        BOTH = "both", _("de inwoner of de medewerker")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filled_by = models.CharField(max_length=10, choices=FilledBy.choices)
    validity_days = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="outcomes_global_instrument_code"
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="outcomes_instrument_code_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    # Set by the first measurement that uses this version.
    is_frozen = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="outcomes_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"


class ScalePoint(models.Model):
    """One labelled point of a version's scale (the ZRM: 1 acute
    problematiek … 5 volledig zelfredzaam)."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="scale_points")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="outcomes_scale_point_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=VALUE_MIN, value__lte=VALUE_MAX), name="outcomes_scale_point_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


# The longest open answer an item may ask for.
TEXT_MAX = 2000


class Item(models.Model):
    """One domain or question of a version. ``domain`` names the life domain
    it is about (the ZRM's 13), so the resident's self-assessment and the
    worker's ZRM can be laid over each other.

    A shipped item is a point on the version's scale. An item of an
    organisation's own questionnaire says its own type: a scale with its
    own labelled points, a single choice among options (both as
    ``ItemOption`` rows), or an open answer of at most ``max_length``
    characters."""

    class AnswerType(models.TextChoices):
        SCALE = "scale", _("schaal")
        CHOICE = "choice", _("keuze uit antwoorden")
        TEXT = "text", _("open antwoord")

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    domain = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    resident_wording = models.CharField(max_length=300, blank=True)
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices, default=AnswerType.SCALE)
    max_length = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="outcomes_item_order_unique"),
            models.UniqueConstraint(fields=["version", "domain"], name="outcomes_item_domain_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class ItemOption(models.Model):
    """A labelled point of an item's own scale, or one option of a single
    choice. The value is what a score stores."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["item", "value"]
        constraints = [
            models.UniqueConstraint(fields=["item", "value"], name="outcomes_item_option_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=VALUE_MIN, value__lte=VALUE_MAX), name="outcomes_item_option_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class Moment(models.TextChoices):
    INTAKE = "intake", _("intake")
    REVIEW = "review", _("evaluatie")
    CLOSING = "closing", _("afsluiting")
    AD_HOC = "ad_hoc", _("tussendoor")


class Measurement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SIGNED_OFF = "signed_off", _("afgetekend")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measurements")
    case = models.ForeignKey("casefiles.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="measurements")
    moment = models.CharField(max_length=10, choices=Moment.choices)
    measured_on = models.DateField()
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # A worker's measurement is the resident's to see only when shared.
    is_shared = models.BooleanField(default=False)
    # Goals of the resident's case the measurement is about (none: the whole case).
    goals = models.ManyToManyField("casefiles.Goal", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measured_on", "created_at", "pk"]
        indexes = [models.Index(fields=["resident", "measured_on"])]

    def __str__(self) -> str:
        return f"Measurement {self.public_id}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    def is_outdated_on(self, day: date) -> bool:
        """Older than the instrument's validity window on ``day`` (ZRM: 30 days)."""
        days = self.version.instrument.validity_days
        return days is not None and (day - self.measured_on).days > days


class Score(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # None: skipped (the resident may leave an item open).
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    face_to_face_preferred = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    # The answer to an open question (``Item.AnswerType.TEXT``).
    text = models.CharField(max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["measurement", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "item"], name="outcomes_score_item_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=VALUE_MIN, value__lte=VALUE_MAX),
                name="outcomes_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Score {self.item_id}={self.value}"

    @property
    def answer(self) -> str:
        """The answer in words: the open text, or the value with its label
        (the item's own options, prefetched by the selector)."""
        if self.item.answer_type == Item.AnswerType.TEXT:
            return self.text
        if self.value is None:
            return ""
        for option in self.item.options.all():
            if option.value == self.value:
                if self.item.answer_type == Item.AnswerType.CHOICE:
                    return option.label
                return f"{self.value}: {option.label}"
        return str(self.value)

    @property
    def is_answered(self) -> bool:
        return self.value is not None or bool(self.text)


class IndicatorText(models.Model):
    """An organisation's own indicator text for one cell of a matrix (item by
    scale point). The ZRM's texts are copyrighted: they are never shipped,
    only imported by an organisation that holds the licence, and shown only
    to that organisation's workers."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="indicator_texts")
    value = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["item", "value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "item", "value"], name="outcomes_indicator_text_unique"),
        ]

    def __str__(self) -> str:
        return f"Indicator {self.item_id}/{self.value}"
