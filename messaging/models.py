"""Secure messaging: conversations, their members and messages.

Every message has a per-conversation ``sequence`` (1, 2, 3, …) handed out
under a row lock on the conversation, and the client's ``client_key`` so a
resend after a network drop is recognised instead of stored twice. Clients
that reconnect ask for everything after the last sequence they saw.
A human writes every message: there is no automated sender.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspraak.storage import private_storage

# The largest sequence number the database holds (a 64-bit integer): a larger
# one from a client is refused before it reaches a query.
MAX_SEQUENCE = 2**63 - 1


def sequence_from_text(value: str | None) -> int | None:
    """A sequence number from a query string, or None. Only ASCII digits in
    the database's range: "²".isdigit() is true, yet int() refuses it."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_SEQUENCE else None


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("gesprek met uw sociaal werker")
        GROUP = "group", _("groepsgesprek")
        CONSULTATION = "consultation", _("chatspreekuur")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    # For a direct conversation: the resident it is about (one per resident).
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sequence = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=models.Q(kind="direct"), name="one_direct_conversation_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.public_id}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    # The name other members see: in groups residents show only the first
    # name they chose themselves.
    display_name = models.CharField(max_length=120)
    is_moderator = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    last_read_sequence = models.BigIntegerField(default=0)
    # Notifications already sent up to this sequence (bursts become one mail).
    notified_sequence = models.BigIntegerField(default=0)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], condition=models.Q(left_at__isnull=True), name="one_active_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"Membership {self.pk}"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sequence = models.BigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    body = models.TextField(max_length=4000)
    client_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attachment = models.FileField(storage=private_storage, upload_to="messages/%Y/%m/", max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sequence"], name="message_sequence_unique"),
            models.UniqueConstraint(fields=["conversation", "author", "client_key"], name="message_client_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Message {self.conversation_id}#{self.sequence}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class MessageReport(models.Model):
    """A member reports a message to the moderators of the group."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Report {self.pk}"


class ConsultationHour(models.Model):
    """A weekly window of the chat consultation hour (chatspreekuur)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("maandag")
        TUESDAY = 1, _("dinsdag")
        WEDNESDAY = 2, _("woensdag")
        THURSDAY = 3, _("donderdag")
        FRIDAY = 4, _("vrijdag")
        SATURDAY = 5, _("zaterdag")
        SUNDAY = 6, _("zondag")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    weekday = models.IntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    on_duty = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="consultation_hours", blank=True)

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="hour_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class ConsultationVisit(models.Model):
    """One visitor in the queue of the consultation hour."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("wacht")
        ACTIVE = "active", _("in gesprek")
        CLOSED = "closed", _("afgerond")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_anonymous = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    conversation = models.OneToOneField(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation_visit"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The visitor agreed to become a client (invitation) / to keep the text.
    consented_to_follow_up = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Visit {self.public_id}"
