"""The activity diary: what a resident did, how much effort it cost and how
much it relaxed them (in- en ontspanning), shared with their coach only
while the resident consents to the blend plan's channel "dagboek" and never
for an entry marked private. A coach may leave a short comment per week."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 1
SCORE_MAX = 5
# A day has 24 hours: one activity lasts at most that long.
MINUTES_MAX = 24 * 60


class Effort(models.IntegerChoices):
    VERY_LITTLE = 1, _("heel weinig moeite")
    LITTLE = 2, _("weinig moeite")
    SOME = 3, _("gewone moeite")
    MUCH = 4, _("veel moeite")
    VERY_MUCH = 5, _("heel veel moeite")


class Relaxation(models.IntegerChoices):
    NOT_AT_ALL = 1, _("helemaal niet ontspannend")
    LITTLE = 2, _("een beetje ontspannend")
    SOME = 3, _("redelijk ontspannend")
    MUCH = 4, _("ontspannend")
    VERY_MUCH = 5, _("heel ontspannend")


class Mood(models.IntegerChoices):
    VERY_BAD = 1, _("heel slecht")
    BAD = 2, _("niet zo goed")
    OKAY = 3, _("gaat wel")
    GOOD = 4, _("goed")
    VERY_GOOD = 5, _("heel goed")


class DiaryEntry(models.Model):
    """One activity. ``client_key`` is made by the page that sends it, so a
    form resent after a lost connection finds the stored entry instead of
    adding a second one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries")
    what = models.CharField(_("wat hebt u gedaan"), max_length=120)
    day = models.DateField(_("dag"))
    start_time = models.TimeField(_("begintijd"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("hoe lang (minuten)"))
    effort = models.PositiveSmallIntegerField(_("inspanning"), choices=Effort.choices)
    relaxation = models.PositiveSmallIntegerField(_("ontspanning"), choices=Relaxation.choices)
    mood = models.PositiveSmallIntegerField(_("stemming"), choices=Mood.choices, null=True, blank=True)
    note = models.TextField(_("notitie"), max_length=500, blank=True)
    is_private = models.BooleanField(_("alleen voor mij"), default=False)
    client_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "start_time", "pk"]
        indexes = [models.Index(fields=["resident", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(effort__gte=SCORE_MIN, effort__lte=SCORE_MAX), name="diary_effort_in_range"
            ),
            models.CheckConstraint(
                condition=Q(relaxation__gte=SCORE_MIN, relaxation__lte=SCORE_MAX), name="diary_relaxation_in_range"
            ),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=SCORE_MIN, mood__lte=SCORE_MAX),
                name="diary_mood_in_range",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MINUTES_MAX), name="diary_minutes_in_range"
            ),
            models.UniqueConstraint(
                fields=["resident", "client_key"], condition=~Q(client_key=""), name="diary_entry_client_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Diary entry {self.public_id}"


class DiaryWeekComment(models.Model):
    """A coach's short word about one week of a resident's diary; the
    resident reads it on that week."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_comments")
    week_start = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("opmerking"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resident", "week_start"])]

    def __str__(self) -> str:
        return f"Diary comment {self.public_id}"


class DiaryReminder(models.Model):
    """The resident's daily reminder to fill in the diary (without content).
    ``last_sent_on`` keeps a day from getting two."""

    resident = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_reminder")
    is_on = models.BooleanField(default=False)
    at = models.TimeField()
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Diary reminder of user {self.resident_id}"


class DiaryRule(models.Model):
    """The organisation's rule for the coach's signal: a week counts as
    skewed when the shared entries show this many more points of effort than
    of relaxation. Without a row, ``DIARY_BALANCE_MARGIN`` holds."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="diary_rule"
    )
    balance_margin = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Diary rule {self.organisation_id}: {self.balance_margin}"
