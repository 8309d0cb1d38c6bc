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


# --- Appointments ---------------------------------------------------------------


class AppointmentStatus(models.TextChoices):
    AWAITING_WORKER = "awaiting_worker", _("wacht op bevestiging van de sociaal werker")
    AWAITING_RESIDENT = "awaiting_resident", _("wacht op bevestiging van de inwoner")
    CONFIRMED = "confirmed", _("bevestigd")
    CANCELLED = "cancelled", _("afgezegd")
    NO_SHOW = "no_show", _("niet verschenen")


# An appointment in one of these states keeps its time: nobody else can book it.
HOLDS_TIME = frozenset(
    {AppointmentStatus.AWAITING_WORKER, AppointmentStatus.AWAITING_RESIDENT, AppointmentStatus.CONFIRMED}
)
# A fixed order, so migrations see the same condition every time.
_HOLDS_TIME_Q = models.Q(status__in=sorted(s.value for s in HOLDS_TIME))


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def holding_time(self) -> AppointmentQuerySet:
        return self.filter(_HOLDS_TIME_Q)

    def overlapping(self, starts: object, ends: object) -> AppointmentQuerySet:
        return self.filter(starts_at__lt=ends, ends_at__gt=starts)


class Appointment(models.Model):
    """One meeting of a resident and a worker.

    The UID in calendar files is ``public_id``; ``sequence`` goes up with
    every change of time, place or status so calendars replace the old
    version (RFC 5545 SEQUENCE). The topic is for the two participants in
    the app only: it never appears in a notification, calendar file or feed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments_as_worker"
    )
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=AppointmentStatus.choices)
    topic = models.CharField(_("onderwerp"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(default=0)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A long random room name, used only when the organisation calls through Jitsi.
    video_room = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="appointment_order"),
            # The last line of defence against double booking: the services
            # check overlaps under a lock; two holds can never share a start.
            models.UniqueConstraint(
                fields=["worker", "starts_at"], condition=_HOLDS_TIME_Q, name="appointment_worker_start_unique"
            ),
            models.UniqueConstraint(
                fields=["resident", "starts_at"], condition=_HOLDS_TIME_Q, name="appointment_resident_start_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "starts_at"]),
            models.Index(fields=["resident", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDS_TIME


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("ochtend")
    AFTERNOON = "afternoon", _("middag")
    EVENING = "evening", _("avond")


class AppointmentRequest(models.Model):
    """A resident asks for an appointment when no free time suits them; the
    worker answers with a proposal (an appointment awaiting the resident)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PROPOSED = "proposed", _("voorstel gedaan")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointment_requests"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kinds = models.JSONField(default=list)
    weekdays = models.JSONField(default=list)
    parts_of_day = models.JSONField(default=list)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    appointment = models.ForeignKey(Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Request {self.public_id}"

    def kind_labels(self) -> list[str]:
        labels = dict(AppointmentKind.choices)
        return [str(labels[k]) for k in self.kinds if k in labels]

    def weekday_labels(self) -> list[str]:
        labels = dict(Weekday.choices)
        return [str(labels[d]) for d in self.weekdays if d in labels]

    def part_labels(self) -> list[str]:
        labels = dict(PartOfDay.choices)
        return [str(labels[p]) for p in self.parts_of_day if p in labels]


class AppointmentNotice(models.Model):
    """A confirmation, change, cancellation or reminder to send, scheduled in
    the database so it survives a restart. ``sequence`` is the appointment's
    sequence when the notice was planned: a notice for an older version is
    skipped rather than sent."""

    class Purpose(models.TextChoices):
        REQUESTED = "requested", _("aanvraag")
        CONFIRMED = "confirmed", _("bevestiging")
        CHANGED = "changed", _("wijziging")
        CANCELLED = "cancelled", _("afzegging")
        REMINDER = "reminder", _("herinnering")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    sequence = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["sent_at", "skipped_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} for appointment {self.appointment_id}"


class CalendarFeed(models.Model):
    """A private iCal address for one person. Only a hash of the token is
    stored; the address is shown once, and a new one revokes the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_active_feed_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"


# --- Group sessions --------------------------------------------------------------


class GroupSession(models.Model):
    """A planned meeting for a group (a training), at a location or online,
    with a number of places."""

    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("op een locatie")
        ONLINE = "online", _("online (beeldbellen)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_sessions")
    title = models.CharField(_("titel"), max_length=120)
    description = models.TextField(_("beschrijving"), max_length=2000, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    video_room = models.CharField(max_length=64, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="session_order"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class GroupSessionSignup(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="signups")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_signups")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resident"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_signup_per_resident",
            )
        ]

    def __str__(self) -> str:
        return f"Signup {self.public_id}"


class GroupCallPresence(models.Model):
    """Who is in the built-in video room of an online group session right
    now: one row per open socket (``appointments.group_calls``). The peer id
    is random per connection; the browsers know each other only by it. Rows
    are removed when the socket closes; a row whose socket died without
    closing (a crashed server) stops counting once ``seen_at`` is old."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    peer_id = models.CharField(max_length=32, unique=True)
    channel_name = models.CharField(max_length=200)
    joined_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["session", "seen_at"], name="group_call_presence_fresh")]

    def __str__(self) -> str:
        return f"Presence {self.peer_id}"
