"""Appointments, part 1: when workers are available, and when the
organisation is closed.

Times are wall-clock times in Europe/Amsterdam (a weekly "Tuesday 9:00 to
12:00" stays 9:00 across the change to and from summer time); turning them
into moments happens when slots are computed, with the zone's rules.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("gesprek op een locatie")
    HOME_VISIT = "home_visit", _("huisbezoek")
    PHONE = "phone", _("telefoon")
    VIDEO = "video", _("beeldbellen")
    CHAT = "chat", _("chat")


# Kinds that happen at one of the organisation's locations.
AT_A_LOCATION = frozenset({AppointmentKind.FACE_TO_FACE})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class WeeklyAvailability(models.Model):
    """A worker can be booked every week on this day between these times,
    for these kinds of appointment (at this location for face-to-face)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    weekday = models.IntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    kinds = models.JSONField(default=list)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="availability_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    def kind_labels(self) -> list[str]:
        labels = dict(AppointmentKind.choices)
        return [str(labels[k]) for k in self.kinds if k in labels]


class AvailabilityException(models.Model):
    """A worker is away (leave, course, illness) from one date to another."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(condition=models.Q(first_day__lte=models.F("last_day")), name="exception_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_day} - {self.last_day}"


class WorkerBookingRules(models.Model):
    """How a worker's calendar may fill up."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_rules")
    buffer_minutes = models.PositiveSmallIntegerField(default=15)
    max_per_day = models.PositiveSmallIntegerField(default=6)
    slot_minutes = models.PositiveSmallIntegerField(default=45)

    def __str__(self) -> str:
        return f"Booking rules of {self.worker_id}"


class ClosingDay(models.Model):
    """The whole organisation is closed (public holidays, team days)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["organisation", "day"], name="closing_day_unique")]

    def __str__(self) -> str:
        return str(self.day)
