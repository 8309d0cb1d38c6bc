"""Telling someone there is something new, through pluggable channels.

A notification never carries content: no message text, no names, nothing a
shared inbox or a lock screen should show. ``NOTIFIERS`` lists the channel
classes (e-mail by default); an SMS or web-push channel is a class with the
same ``send`` method, added to the setting.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from accounts.models import User


class Notifier(Protocol):
    def send(self, *, user: User, subject: str, template: str) -> bool:
        """Send; True when this channel reached the person."""
        ...


class EmailNotifier:
    def send(self, *, user: User, subject: str, template: str) -> bool:
        if not user.email:
            return False
        body = render_to_string(template, {"url": settings.SITE_URL})
        send_mail(subject, body, None, [user.email])
        return True


def notify(*, user: User, subject: str, template: str) -> int:
    """Send through every configured channel; returns how many reached the person."""
    reached = 0
    with translation.override(settings.LANGUAGE_CODE):
        for path in settings.NOTIFIERS:
            notifier: Notifier = import_string(path)()
            reached += int(notifier.send(user=user, subject=str(subject), template=template))
    return reached
