"""The experience survey: after a contact (an appointment that was held, a
consultation-hour chat, a finished module) a resident may be offered three
short questions, never more than once in seven days and never after they
said no. An offer holds the answer; results are shown only as aggregates
per channel."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 1
SCORE_MAX = 5
REMARK_MAX = 1000


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("gesprek op een locatie of huisbezoek")
    PHONE = "phone", _("telefoon")
    VIDEO = "video", _("beeldbellen")
    CHAT = "chat", _("chat")
    ELEARNING = "elearning", _("e-learning")


class ContactKind(models.TextChoices):
    APPOINTMENT = "appointment", _("afspraak")
    CONSULTATION = "consultation", _("chatspreekuur")
    MODULE = "module", _("module")


class Score(models.IntegerChoices):
    VERY_BAD = 1, _("slecht")
    BAD = 2, _("niet zo goed")
    OKAY = 3, _("gaat wel")
    GOOD = 4, _("goed")
    VERY_GOOD = 5, _("heel goed")


class Again(models.TextChoices):
    YES = "yes", _("ja")
    NO = "no", _("nee")
    UNKNOWN = "unknown", _("weet ik niet")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("nog niet ingevuld")
    ANSWERED = "answered", _("ingevuld")
    SKIPPED = "skipped", _("overgeslagen")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class FeedbackPreference(models.Model):
    """One row per resident who was ever offered a survey or said no.
    ``last_offered_at`` is the gate of "at most one offer in seven days": it
    is moved forward by one conditional UPDATE, so two offers at the same
    moment cannot both pass."""

    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_preference"
    )
    is_opted_out = models.BooleanField(default=False)
    last_offered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feedback preference of user {self.resident_id}"


class FeedbackOffer(models.Model):
    """A survey offered about one contact. The answer is stored here once;
    a skipped or withdrawn offer keeps no answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_offers")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    contact_kind = models.CharField(max_length=20, choices=ContactKind.choices)
    contact_public_id = models.UUIDField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    contact_at = models.DateTimeField()
    offered_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    score = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    again = models.CharField(max_length=10, choices=Again.choices, blank=True)
    remark = models.TextField(max_length=REMARK_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        indexes = [
            models.Index(fields=["resident", "status"]),
            models.Index(fields=["organisation", "channel", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "contact_kind", "contact_public_id"], name="feedback_offer_contact_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="feedback_score_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(score__isnull=False, answered_at__isnull=False),
                name="feedback_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback offer {self.public_id}"
