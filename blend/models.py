"""The blend plan: which ways of working a resident and their worker agree
on, per goal or for the whole case, with the resident's consent per online
channel and their preferences. Face-to-face is always part of the plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("gesprek op een locatie")
    HOME_VISIT = "home_visit", _("huisbezoek")
    PHONE = "phone", _("telefoon")
    VIDEO = "video", _("beeldbellen")
    CHAT = "chat", _("chat")
    ELEARNING = "elearning", _("online leren (e-learning)")
    DIARY = "diary", _("dagboek")
    GROUP_TRAINING = "group_training", _("groepstraining")


# Channels that run online and therefore need the resident's consent.
ONLINE_CHANNELS = frozenset({Channel.VIDEO, Channel.CHAT, Channel.ELEARNING, Channel.DIARY})
ALWAYS_OFFERED = Channel.FACE_TO_FACE


class BlendPlan(models.Model):
    resident = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blend_plan")
    review_date = models.DateField(_("samen opnieuw bekijken op"), null=True, blank=True)
    best_times = models.CharField(_("beste momenten voor contact"), max_length=200, blank=True)
    preferred_channel = models.CharField(
        _("liefste manier van contact"), max_length=20, choices=Channel.choices, default=Channel.FACE_TO_FACE
    )
    needs_large_text = models.BooleanField(_("grote letters"), default=False)
    needs_read_aloud = models.BooleanField(_("voorlezen"), default=False)
    has_no_email = models.BooleanField(_("geen e-mail"), default=False)
    needs_help_of_relative = models.BooleanField(_("hulp van een naaste bij online dingen"), default=False)
    notes = models.TextField(_("toelichting"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["review_date"])]

    def __str__(self) -> str:
        return f"Blend plan of user {self.resident_id}"


class BlendAgreement(models.Model):
    """One agreed way of working, for the whole case (goal is empty) or for
    one goal."""

    plan = models.ForeignKey(BlendPlan, on_delete=models.CASCADE, related_name="agreements")
    goal = models.ForeignKey("casefiles.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "goal", "channel"], name="blend_agreement_unique"),
            models.UniqueConstraint(
                fields=["plan", "channel"], condition=models.Q(goal__isnull=True), name="blend_case_agreement_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.channel


class ChannelConsent(models.Model):
    """Consent for one online channel. Rows are never changed: a new row
    records each give or withdraw, so the history is the consent record."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_consents")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    is_given = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["resident", "channel", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.channel}: {'given' if self.is_given else 'withdrawn'}"


class ChannelUsage(models.Model):
    """Which channels a resident has actually used; written by the other
    capabilities through ``blend.services.blend_channel_used``."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_usage")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    first_used_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField()
    times_used = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "channel"], name="channel_usage_unique")]

    def __str__(self) -> str:
        return self.channel
