"""Telling someone there is something new, through pluggable channels.

A notification never carries content: no message text, no names, no topic,
nothing a shared inbox or a lock screen should not show. (Appointment
notices say only when, what kind and where.) ``NOTIFIERS`` lists the
channel classes: e-mail and push by default, SMS added when ``SMS_BACKEND``
is set. A channel is a class with a ``channel`` name and a ``send`` method.

A caller names the kind of news (``event``: "messages", "appointments",
"casefile", "consultation"); the person's preferences
(``notifications.selectors.preference_get``) then say which channels may
carry it. Without an event every channel is used.
"""

from __future__ import annotations

import email.message
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from accounts.models import User
from notifications.selectors import preference_get
from samenspraak import sms

logger = logging.getLogger(__name__)

# Used by the SMS channel when a notification brings no short text of its own.
DEFAULT_SHORT_TEMPLATE = "notify/short.txt"


class Attachment(NamedTuple):
    filename: str
    content: str | bytes
    # May carry parameters: "text/calendar; method=REQUEST; charset=utf-8".
    mimetype: str


@dataclass(frozen=True)
class Notification:
    """What to send. ``template`` is the mail body; ``short_template`` the
    text for short channels (SMS). Both get ``context`` plus ``url``."""

    subject: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()
    short_template: str | None = None

    def render(self, template: str) -> str:
        return render_to_string(template, {"url": settings.SITE_URL, **self.context})


class Notifier(Protocol):
    channel: str

    def send(self, *, user: User, notification: Notification) -> bool:
        """Send; True when this channel reached the person, False when the
        person cannot be reached this way. Raises when sending failed."""
        ...


def _mime_part(attachment: Attachment) -> email.message.MIMEPart | tuple[str, str | bytes, str]:
    """Django takes a plain mimetype; one with parameters (a calendar's
    ``method=REQUEST``) needs a ready-made part."""
    mimetype, _sep, raw_params = attachment.mimetype.partition(";")
    if not raw_params.strip():
        return attachment.filename, attachment.content, mimetype.strip()
    maintype, subtype = mimetype.strip().split("/", 1)
    params: dict[str, str] = {}
    charset = "utf-8"
    for raw in raw_params.split(";"):
        key, _eq, value = raw.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip()
        elif key:
            params[key.strip()] = value.strip()
    part = email.message.MIMEPart()
    if maintype == "text":
        text = attachment.content.decode(charset) if isinstance(attachment.content, bytes) else attachment.content
        part.set_content(text, subtype=subtype, charset=charset, params=params, filename=attachment.filename)
    else:
        content = attachment.content.encode() if isinstance(attachment.content, str) else attachment.content
        part.set_content(content, maintype, subtype, params=params, filename=attachment.filename)
    return part


class EmailNotifier:
    channel = "email"

    def send(self, *, user: User, notification: Notification) -> bool:
        if not user.email:
            return False
        message = EmailMessage(notification.subject, notification.render(notification.template), None, [user.email])
        for attachment in notification.attachments:
            part = _mime_part(attachment)
            if isinstance(part, tuple):
                message.attach(*part)
            else:
                message.attach(part)
        message.send()
        return True


class SmsNotifier:
    """A short text to ``user.phone``; attachments are left out. Off (reaches
    nobody) while ``SMS_BACKEND`` is not set."""

    channel = "sms"

    def send(self, *, user: User, notification: Notification) -> bool:
        if not user.phone or not sms.is_enabled():
            return False
        body = notification.render(notification.short_template or DEFAULT_SHORT_TEMPLATE)
        sms.sms_send(to=user.phone, body=" ".join(body.split()))
        return True


def _notifiers(*, user: User, event: str | None, skip_channels: Iterable[str] = ()) -> list[Notifier]:
    """The configured channels, less those skipped and those the person
    switched off for ``event``."""
    skipped = set(skip_channels)
    notifiers: list[Notifier] = [import_string(path)() for path in settings.NOTIFIERS]
    notifiers = [n for n in notifiers if getattr(n, "channel", "") not in skipped]
    if event is None or not notifiers:
        return notifiers
    preferences = preference_get(user=user)
    return [n for n in notifiers if preferences.allows(event=event, channel=n.channel)]


def notify(
    *,
    user: User,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    attachments: Sequence[Attachment] = (),
    short_template: str | None = None,
    event: str | None = None,
    skip_channels: Iterable[str] = (),
) -> int:
    """Send through every configured channel the person wants for ``event``
    (except ``skip_channels``); returns how many reached the person. A
    channel that fails raises (the task is retried)."""
    reached = 0
    with translation.override(settings.LANGUAGE_CODE):
        notification = Notification(str(subject), template, context or {}, attachments, short_template)
        for notifier in _notifiers(user=user, event=event, skip_channels=skip_channels):
            reached += int(notifier.send(user=user, notification=notification))
    return reached


@dataclass
class Delivery:
    """The outcome per channel of ``notify_each``."""

    reached: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def notify_each(
    *,
    user: User,
    notification: Notification,
    skip_channels: Iterable[str] = (),
    language: str | None = None,
    event: str | None = None,
) -> Delivery:
    """Try every configured channel the person wants for ``event`` (except
    ``skip_channels``) on its own: one channel failing does not stop the
    others, and the caller learns which reached the person and which failed."""
    delivery = Delivery()
    with translation.override(language or settings.LANGUAGE_CODE):
        for notifier in _notifiers(user=user, event=event, skip_channels=skip_channels):
            try:
                if notifier.send(user=user, notification=notification):
                    delivery.reached.append(notifier.channel)
            except Exception as error:
                logger.warning("Notification by %s failed: %s", notifier.channel, type(error).__name__)
                delivery.errors.append(f"{notifier.channel}: {type(error).__name__}: {error}")
    return delivery
