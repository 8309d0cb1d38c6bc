"""Sending short texts (SMS) through a pluggable backend.

``SMS_BACKEND`` names the backend class (dotted path); empty means SMS is
off. Backends:

- ``samenspraak.sms.ConsoleBackend``: prints the text (development);
- ``samenspraak.sms.LocmemBackend``: keeps texts in ``samenspraak.sms.outbox``
  (tests);
- ``samenspraak.sms.HttpGatewayBackend``: POSTs ``{"to": ..., "body": ...}``
  as JSON to ``SMS_GATEWAY_URL`` with ``Authorization: Bearer
  SMS_GATEWAY_TOKEN`` (10 s timeout); any answer other than 2xx is an error.

Like every notification, a text never carries content: see
``samenspraak.notify``.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

GATEWAY_TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The text could not be handed to the gateway."""


class SmsMessage(NamedTuple):
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


# Texts "sent" by the LocmemBackend, for tests; cleared by hand.
outbox: list[SmsMessage] = []


class ConsoleBackend:
    def send(self, message: SmsMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
        sys.stdout.flush()


class LocmemBackend:
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class HttpGatewayBackend:
    def __init__(self) -> None:
        self.url: str = settings.SMS_GATEWAY_URL
        self.token: str = settings.SMS_GATEWAY_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) URL.")

    def send(self, message: SmsMessage) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps({"to": message.to, "body": message.body}).encode("utf-8"),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"gateway answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"gateway unreachable: {type(error).__name__}") from None
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def is_enabled() -> bool:
    return bool(settings.SMS_BACKEND)


def sms_backend() -> SmsBackend | None:
    if not settings.SMS_BACKEND:
        return None
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_send(*, to: str, body: str) -> bool:
    """Send one text; False when SMS is off. Raises ``SmsError`` (or the
    backend's error) when sending failed."""
    backend = sms_backend()
    if backend is None:
        return False
    backend.send(SmsMessage(to=to.strip(), body=body.strip()))
    return True
