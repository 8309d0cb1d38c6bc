"""What a person wants to be told, and the devices that may receive a push."""

from __future__ import annotations

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """Kinds of news; a caller of ``samenspraak.notify`` names one."""

    MESSAGES = "messages", _("Nieuwe berichten")
    APPOINTMENTS = "appointments", _("Afspraken en groepsbijeenkomsten")
    CASEFILE = "casefile", _("Uw dossier")
    CONSULTATION = "consultation", _("Chatspreekuur")
    DIARY_REMINDER = "diary_reminder", _("Herinnering voor uw dagboek")


class Channel(models.TextChoices):
    PUSH = "push", _("Melding op dit apparaat")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Sms")


class PushSubscription(models.Model):
    """One browser on one device that may receive a push for ``user``.

    ``endpoint`` is the push service's address for this browser; ``p256dh``
    and ``auth`` are the browser's keys that encrypt the payload (RFC 8291).
    The endpoint is unique: a device that subscribes again for another
    person moves to that person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    # "Chrome op Android": enough to recognise a device in the list, never the raw user agent.
    device_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.device_label or str(self.public_id)


class NotificationPreference(models.Model):
    """One row per person who changed the defaults.

    ``channels`` maps an event (``Event``) to the channels (``Channel``) it
    may use; an event missing from the map uses every channel. No row at all
    means the defaults (``notifications.selectors.preference_get``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField(default=dict)
    # Both empty: no quiet hours. The span may cross midnight (22:00-08:00).
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preference {self.user_id}"


DEFAULT_QUIET_FROM = time(22, 0)
DEFAULT_QUIET_UNTIL = time(8, 0)
