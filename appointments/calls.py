"""Video calls: who may join, when the room is open, and which STUN/TURN
servers a browser gets.

Reads only; nothing here writes or logs (``call_sockets_recheck`` only
tells open sockets to look again). The page and the signalling socket
fetch the appointment through ``appointments.access`` (which logs the read)
and then ask these functions whether the person may join now.

TURN credentials follow coturn's REST API (``use-auth-secret``): the
username is ``"<expiry unix time>:<user public_id>"`` and the password is
``base64(HMAC-SHA1(secret, username))``. coturn checks both with the same
shared secret and refuses the username after the expiry time, so nothing is
stored and nothing has to be revoked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from accounts.models import User
from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from samenspraak.sockets import group_sockets_recheck

# People may come in a little early and stay a while after the planned end.
OPENS_BEFORE_START = timedelta(minutes=15)
CLOSES_AFTER_END = timedelta(minutes=30)


@dataclass(frozen=True)
class CallWindow:
    opens_at: datetime
    closes_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at


def call_window(appointment: Appointment) -> CallWindow:
    """From 15 minutes before the start until 30 minutes after the end."""
    return CallWindow(
        opens_at=appointment.starts_at - OPENS_BEFORE_START,
        closes_at=appointment.ends_at + CLOSES_AFTER_END,
    )


def call_party(user: User, appointment: Appointment) -> bool:
    """The resident or the worker of the appointment: the only two people
    who can ever be in its call (not a team lead, not a trusted person)."""
    return user.pk in (appointment.resident_id, appointment.worker_id)


def call_participant(user: User, appointment: Appointment) -> bool:
    """May ``user`` join this appointment's call at all (time aside)?"""
    return (
        call_party(user, appointment)
        and appointment.kind == AppointmentKind.VIDEO
        and appointment.status == AppointmentStatus.CONFIRMED
    )


def call_is_open(appointment: Appointment, now: datetime) -> bool:
    """A confirmed video appointment whose window holds ``now``."""
    return (
        appointment.kind == AppointmentKind.VIDEO
        and appointment.status == AppointmentStatus.CONFIRMED
        and call_window(appointment).contains(now)
    )


def call_group(appointment: Appointment) -> str:
    """The channel-layer group of every open socket of this call."""
    return f"call.{appointment.public_id.hex}"


def call_sockets_recheck(appointment: Appointment) -> None:
    """The appointment changed (cancelled, moved, handed over, no-show): after
    commit its open call sockets check again and close when the call is no
    longer theirs or no longer open."""
    group_sockets_recheck(call_group(appointment))


def jitsi_room_url(appointment: Appointment) -> str:
    """The organisation's Jitsi room for this appointment, or "" when the
    organisation uses the built-in call."""
    base = appointment.organisation.jitsi_base_url.rstrip("/")
    if not base or not appointment.video_room:
        return ""
    return f"{base}/{appointment.video_room}"


# --- STUN and TURN ------------------------------------------------------------------


def turn_credentials(*, user: User, expires_at: datetime, secret: str) -> tuple[str, str]:
    """A (username, password) pair for coturn's ``use-auth-secret``, valid
    until ``expires_at``."""
    username = f"{int(expires_at.timestamp())}:{user.public_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers_for(*, user: User, appointment: Appointment) -> list[dict[str, Any]]:
    """The ``iceServers`` for ``RTCPeerConnection``: the configured STUN
    servers, and the TURN servers with credentials for ``user`` that expire
    when the call window closes. Empty when nothing is configured: two
    devices on one machine or network then connect directly."""
    return ice_servers_until(user=user, expires_at=call_window(appointment).closes_at)


def ice_servers_until(*, user: User, expires_at: datetime) -> list[dict[str, Any]]:
    """The STUN servers, and TURN with credentials valid until ``expires_at``
    (also for the group call of a group session)."""
    servers: list[dict[str, Any]] = []
    if settings.VIDEO_STUN_URLS:
        servers.append({"urls": list(settings.VIDEO_STUN_URLS)})
    if settings.VIDEO_TURN_URLS and settings.VIDEO_TURN_SECRET:
        username, credential = turn_credentials(user=user, expires_at=expires_at, secret=settings.VIDEO_TURN_SECRET)
        servers.append({"urls": list(settings.VIDEO_TURN_URLS), "username": username, "credential": credential})
    return servers
