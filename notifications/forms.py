"""The notification preferences form and the check of a push subscription."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.selectors import Preferences, channels_available, events_for
from samenspraak.dates import ClockTimeField

MAX_ENDPOINT_LENGTH = 1000
MAX_P256DH_LENGTH = 100
MAX_AUTH_LENGTH = 50
LOOPBACK_NAMES = frozenset({"localhost"})


class PreferenceForm(forms.Form):
    """Per kind of news the channels it may use, and quiet hours. The event
    fields are built from the person's role and the channels this
    installation has."""

    quiet_from = ClockTimeField(label=_("Stil vanaf"), required=False)
    quiet_until = ClockTimeField(label=_("Stil tot"), required=False)

    def __init__(self, *args: Any, user: User, preferences: Preferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channels = channels_available()
        self.event_names: list[str] = []
        for event in events_for(user):
            chosen = preferences.channels.get(event.value, frozenset(c.value for c in channels))
            self.fields[event.value] = forms.MultipleChoiceField(
                label=event.label,
                choices=[(c.value, c.label) for c in channels],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[c.value for c in channels if c.value in chosen],
            )
            self.event_names.append(event.value)
        self.fields["quiet_from"].initial = preferences.quiet_from
        self.fields["quiet_until"].initial = preferences.quiet_until
        # Quiet hours come after the events on the page.
        self.order_fields([*self.event_names, "quiet_from", "quiet_until"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        quiet_from, quiet_until = data.get("quiet_from"), data.get("quiet_until")
        if (quiet_from is None) != (quiet_until is None) and not self.errors:
            raise forms.ValidationError(_("Vul bij stille uren allebei de tijden in, of laat allebei leeg."))
        if quiet_from is not None and quiet_from == quiet_until:
            raise forms.ValidationError(_("De stille uren beginnen en eindigen op dezelfde tijd. Kies twee tijden."))
        return data

    def channels(self) -> dict[str, list[str]]:
        return {event: list(self.cleaned_data.get(event) or []) for event in self.event_names}


@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str
    auth: str


def _decoded(value: str) -> bytes | None:
    standard = value.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_is_allowed(endpoint: str) -> bool:
    """https to a known push service (``PUSH_ENDPOINT_HOSTS``); http only to
    loopback and only when ``PUSH_ALLOW_LOOPBACK_HTTP`` is on (development
    and the tests)."""
    if any(ch.isspace() or ord(ch) < 32 for ch in endpoint):
        return False
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host or parts.username or parts.password:
        return False
    if parts.scheme == "https":
        return any(host == known or host.endswith(f".{known}") for known in settings.PUSH_ENDPOINT_HOSTS)
    return parts.scheme == "http" and settings.PUSH_ALLOW_LOOPBACK_HTTP and _is_loopback(host)


class SubscriptionForm(forms.Form):
    """The browser's ``PushSubscription.toJSON()``, sent by static/js/push.js
    as the ``subscription`` field."""

    subscription = forms.CharField(max_length=4000, error_messages={"required": _("Er kwam geen aanmelding mee.")})

    def clean_subscription(self) -> SubscriptionData:
        invalid = forms.ValidationError(_("Deze aanmelding voor meldingen klopt niet. Probeer het opnieuw."))
        try:
            raw = json.loads(self.cleaned_data["subscription"])
        except ValueError:
            raise invalid from None
        keys = raw.get("keys") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(keys, dict):
            raise invalid
        endpoint, p256dh, auth = raw.get("endpoint"), keys.get("p256dh"), keys.get("auth")
        if not isinstance(endpoint, str) or not isinstance(p256dh, str) or not isinstance(auth, str):
            raise invalid
        if len(endpoint) > MAX_ENDPOINT_LENGTH or len(p256dh) > MAX_P256DH_LENGTH or len(auth) > MAX_AUTH_LENGTH:
            raise forms.ValidationError(_("Deze aanmelding is te lang. Probeer het opnieuw."))
        if not endpoint_is_allowed(endpoint):
            raise forms.ValidationError(
                _("Deze browser gebruikt een meldingendienst die wij niet kennen. Kies een andere browser.")
            )
        public_key, secret = _decoded(p256dh), _decoded(auth)
        # An uncompressed P-256 point (65 bytes, 0x04 first) and a 16-byte secret (RFC 8291).
        if public_key is None or len(public_key) != 65 or public_key[0] != 4 or secret is None or len(secret) != 16:
            raise invalid
        return SubscriptionData(endpoint=endpoint, p256dh=p256dh, auth=auth)


class UnsubscribeForm(forms.Form):
    endpoint = forms.CharField(max_length=MAX_ENDPOINT_LENGTH)
