"""The signalling socket of a video call (``ws/beeldbellen/<public_id>/``).

Only the resident and the worker of a confirmed video appointment connect,
and only while the call window is open (``appointments.calls``). Anyone
else is refused at the handshake; a participant outside the window gets a
``closed`` frame and the socket is closed with ``CLOSE_OUTSIDE_WINDOW``.

The server relays; it never stores media, SDP or candidates, and it logs
the access once per connection (through the policy), never per frame.
Access is checked again (without logging) before every frame and every
relayed event (``samenspraak.sockets.AccessCheckedConsumer``): still this
person's session, still a party of a confirmed video appointment whose
window is open, and still allowed to see the resident. A cancelled or moved
appointment, a handover, a sign-out or a blocked account close the socket
with 4403 (``access-ended``). Being in a call counts as activity for the
idle limit.

Frames from the client (JSON, at most ``MAX_FRAME_CHARACTERS``), relayed
to the other participant after checking their shape:
- ``{"type": "description", "description": {"type": "offer"|"answer", "sdp": "..."}}``
- ``{"type": "candidate", "candidate": {"candidate": "...", "sdpMid": ..., "sdpMLineIndex": ..., "usernameFragment": ...}}``
- ``{"type": "media-state", "audio": bool, "video": bool}``
- ``{"type": "hangup"}``
Frames to the client: ``hello``; ``peer-joined`` (with the other page's
``session``, so a page can tell a reloaded peer from a socket blip);
``peer-left``; the relayed frames; ``replaced`` (a newer tab of the same
person took over: this socket closes with ``CLOSE_REPLACED``); ``ended``
(the window closed); ``error`` (a Dutch ``message``; the socket stays open).

One live socket per person: a new connection tells the older one, through
a channel-layer group of that person in this call, to close.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import secrets
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appointments.access import appointment_get_for_user, group_session_get_for_user
from appointments.calls import CallWindow, call_group, call_is_open, call_participant, call_window
from appointments.group_calls import (
    MAX_PARTICIPANTS,
    Participant,
    group_call_enter,
    group_call_group,
    group_call_is_builtin,
    group_call_is_open,
    group_call_jitsi_url,
    group_call_leave,
    group_call_member,
    group_call_name,
    group_call_residents_seen,
    group_call_still_in,
    group_call_window,
)
from appointments.models import Appointment, GroupSession
from audit.context import audit_context
from samenspraak import ratelimit
from samenspraak.policy import residents_for_casework
from samenspraak.sockets import CHANGE, AccessCheckedConsumer, frame_parse

MAX_FRAME_CHARACTERS = 64 * 1024
SIGNAL_TYPES = frozenset({"description", "candidate", "hangup", "media-state"})
CLOSE_REPLACED = 4409
CLOSE_OUTSIDE_WINDOW = 4410
RATE_WINDOW_SECONDS = 10
_SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def person_group(appointment: Appointment, user: Any) -> str:
    return f"call.{appointment.public_id.hex}.{user.public_id.hex}"


def _optional(value: Any, kind: type, limit: int) -> bool:
    if value is None:
        return True
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < limit
    return isinstance(value, str) and len(value) <= limit


def signal_clean(content: dict[str, Any]) -> dict[str, Any] | None:
    """The frame to relay, rebuilt from known fields only; None when its
    shape is wrong."""
    kind = content.get("type")
    if kind == "hangup":
        return {"type": "hangup"}
    if kind == "media-state":
        audio, video = content.get("audio"), content.get("video")
        if isinstance(audio, bool) and isinstance(video, bool):
            return {"type": "media-state", "audio": audio, "video": video}
        return None
    if kind == "description":
        description = content.get("description")
        if not isinstance(description, dict):
            return None
        sdp_type, sdp = description.get("type"), description.get("sdp")
        if sdp_type in ("offer", "answer") and isinstance(sdp, str) and sdp:
            return {"type": "description", "description": {"type": sdp_type, "sdp": sdp}}
        return None
    if kind == "candidate":
        candidate = content.get("candidate")
        if not isinstance(candidate, dict) or not isinstance(candidate.get("candidate"), str):
            return None
        mid, index, fragment = (
            candidate.get("sdpMid"),
            candidate.get("sdpMLineIndex"),
            candidate.get("usernameFragment"),
        )
        if mid is None and index is None:
            return None
        if not (_optional(mid, str, 64) and _optional(index, int, 64) and _optional(fragment, str, 256)):
            return None
        return {
            "type": "candidate",
            "candidate": {
                "candidate": candidate["candidate"],
                "sdpMid": mid,
                "sdpMLineIndex": index,
                "usernameFragment": fragment,
            },
        }
    return None


class CallConsumer(AccessCheckedConsumer):
    appointment: Appointment
    window: CallWindow
    connection_is_activity = True

    def _open(self, user: Any, public_id: str) -> Appointment:
        if not self.signed_in(user):
            raise Http404
        with audit_context(self.audit()):
            appointment = appointment_get_for_user(user=user, public_id=public_id)
        if not call_participant(user, appointment):
            raise Http404
        return appointment

    def object_access_allowed(self, user: Any, action: str) -> bool:
        # Not logged: the connection's read was logged once at connect, and
        # frames carry no resident data.
        appointment = Appointment.objects.filter(pk=self.appointment.pk).first()
        return (
            appointment is not None
            and call_participant(user, appointment)
            and call_is_open(appointment, timezone.now())
            and residents_for_casework(user).filter(pk=appointment.resident_id).exists()
        )

    def _page_session(self) -> str:
        """The page's own random id (``?sessie=``): a reloaded page has a
        new one, a page whose socket reconnects keeps it."""
        query = parse_qs(self.scope.get("query_string", b"").decode("ascii", "replace"))
        value = (query.get("sessie") or [""])[0]
        return value if _SESSION.match(value) else secrets.token_urlsafe(12)

    async def connect(self) -> None:
        self.is_replaced = False
        self.peer_channel: str | None = None
        self.end_task: asyncio.Task[None] | None = None
        user = self.scope.get("user")
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        try:
            self.appointment = await database_sync_to_async(self._open)(user, public_id)
        except Http404:
            await self.close(code=4404)
            return
        self.user = user
        self.window = call_window(self.appointment)
        if not call_is_open(self.appointment, timezone.now()):
            await self.accept()
            with translation.override(settings.LANGUAGE_CODE):
                message = _("Dit gesprek is nu niet open.")
            await self.send_json({"type": "closed", "message": message})
            await self.close(code=CLOSE_OUTSIDE_WINDOW)
            return
        self.session = self._page_session()
        self.call_group = call_group(self.appointment)
        self.person_group = person_group(self.appointment, user)
        # An older socket of this person (another tab, a phone and a laptop)
        # hears this before the new one joins the group, and closes.
        await self.channel_layer.group_send(self.person_group, {"type": "call.replace", "channel": self.channel_name})
        await self.channel_layer.group_add(self.person_group, self.channel_name)
        await self.channel_layer.group_add(self.call_group, self.channel_name)
        await self.accept()
        await self.access_watch()
        await self.send_json({"type": "hello"})
        await self.channel_layer.group_send(self.call_group, self._presence("peer-joined"))
        self.end_task = asyncio.create_task(self._close_when_window_ends())

    def _presence(self, event: str) -> dict[str, Any]:
        return {
            "type": "call.presence",
            "event": event,
            "channel": self.channel_name,
            "user": str(self.user.public_id),
            "session": self.session,
        }

    async def _close_when_window_ends(self) -> None:
        await asyncio.sleep(max(0.0, (self.window.closes_at - timezone.now()).total_seconds()))
        with translation.override(settings.LANGUAGE_CODE):
            message = _("De tijd voor dit gesprek is voorbij.")
        await self.send_json({"type": "ended", "message": message})
        await self.close(code=CLOSE_OUTSIDE_WINDOW)

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if self.end_task is not None:
            self.end_task.cancel()
        if not hasattr(self, "call_group"):
            return
        await self.channel_layer.group_discard(self.call_group, self.channel_name)
        await self.channel_layer.group_discard(self.person_group, self.channel_name)
        if not self.is_replaced:
            await self.channel_layer.group_send(self.call_group, self._presence("peer-left"))

    # --- From this page ------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if self.is_replaced or not await self.access_guard(CHANGE):
            return
        with translation.override(settings.LANGUAGE_CODE):
            content = frame_parse(text_data, MAX_FRAME_CHARACTERS)
            if not isinstance(content, dict):
                await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."))
                return
            kind = content.get("type")
            if not isinstance(kind, str) or kind not in SIGNAL_TYPES:
                await self._error("unknown_type", _("Dit soort bericht kennen we niet."))
                return
            frame = signal_clean(content)
            if frame is None:
                await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."))
                return
            if not await self._within_rate():
                await self._error("rate_limited", _("U stuurt veel berichten snel achter elkaar. Wacht even."))
                return
        await self.channel_layer.group_send(
            self.call_group, {"type": "call.signal", "channel": self.channel_name, "frame": frame}
        )

    async def _within_rate(self) -> bool:
        """At most CALL_SIGNAL_RATE_LIMIT frames per 10 seconds per person,
        over all their sockets and all server processes (the shared store)."""
        return await ratelimit.ahit(
            f"call-signal-rate:{self.user.pk}",
            limit=settings.CALL_SIGNAL_RATE_LIMIT,
            window_seconds=RATE_WINDOW_SECONDS,
        )

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # --- From the channel layer ------------------------------------------------------

    async def call_replace(self, event: dict[str, Any]) -> None:
        if event["channel"] == self.channel_name or self.is_replaced:
            return
        self.is_replaced = True
        with translation.override(settings.LANGUAGE_CODE):
            message = _("U doet in een ander venster mee aan dit gesprek.")
        await self.send_json({"type": "replaced", "message": message})
        await self.close(code=CLOSE_REPLACED)

    async def call_presence(self, event: dict[str, Any]) -> None:
        if self.is_replaced or event["channel"] == self.channel_name or event["user"] == str(self.user.public_id):
            return
        if not await self.access_guard(CHANGE):
            return
        if event["event"] == "peer-left":
            # A peer-left of an older socket of the other person can arrive
            # after their new socket joined: only the current one counts.
            if event["channel"] == self.peer_channel:
                self.peer_channel = None
                await self.send_json({"type": "peer-left"})
            return
        if event["event"] == "peer-joined":
            # Tell the newcomer that this side is here too.
            await self.channel_layer.send(event["channel"], self._presence("peer-present"))
        if event["channel"] != self.peer_channel:
            self.peer_channel = event["channel"]
            await self.send_json({"type": "peer-joined", "session": event["session"]})

    async def call_signal(self, event: dict[str, Any]) -> None:
        # Only frames of the other person's current socket reach this page.
        if self.is_replaced or event["channel"] != self.peer_channel:
            return
        if await self.access_guard(CHANGE):
            await self.send_json(event["frame"])


# --- Group video (``ws/groepsbellen/<public_id>/``) --------------------------------------

GROUP_FRAME_TYPES = frozenset({"description", "candidate", "media-state", "hand", "chat"})
MAX_CHAT_CHARACTERS = 1000
CLOSE_FULL = 4429


class GroupCallConsumer(AccessCheckedConsumer):
    """The signalling socket of a group session's built-in video room.

    Only the host and residents with an active sign-up of an online session
    with at most ``MAX_PARTICIPANTS`` places connect (others: refused at the
    handshake); outside the window a ``closed`` frame and ``CLOSE_OUTSIDE_WINDOW``;
    a full room a ``full`` frame (with the organisation's Jitsi link, if
    any) and ``CLOSE_FULL``.

    Each socket gets a random peer id. ``hello`` names one's own peer id
    and the people already there (``peers``: peer id, name, host or not);
    the others hear ``peer-joined`` and, when the socket closes,
    ``peer-left``. From the page (JSON, at most ``MAX_FRAME_CHARACTERS``):
    - ``{"type": "description"|"candidate", "to": <peer>, ...}`` as in the
      1:1 call, relayed only to that peer's socket in this room;
    - ``{"type": "media-state", "audio": bool, "video": bool}``,
      ``{"type": "hand", "raised": bool}`` and ``{"type": "chat", "text": "..."}``
      (at most ``MAX_CHAT_CHARACTERS``), relayed to everyone else in the room
      (media state and hand also to one peer with ``to``: for a newcomer).
    Relayed frames carry ``from`` (the sender's peer id). Nothing is stored.
    """

    session: GroupSession
    window: CallWindow
    connection_is_activity = True

    def _open(self, user: Any, public_id: str) -> GroupSession:
        if not self.signed_in(user):
            raise Http404
        session = group_session_get_for_user(user=user, public_id=public_id)
        if not group_call_is_builtin(session) or not group_call_member(user, session):
            raise Http404
        return session

    def object_access_allowed(self, user: Any, action: str) -> bool:
        session = GroupSession.objects.filter(pk=self.session.pk).first()
        return (
            session is not None
            and group_call_member(user, session)
            and group_call_is_open(session, timezone.now())
            and group_call_still_in(peer_id=self.peer_id)
        )

    def _enter(self) -> tuple[Participant, tuple[list[Participant], list[str]] | None]:
        with audit_context(self.audit()):
            entered = group_call_enter(
                session=self.session, user=self.user, peer_id=self.peer_id, channel_name=self.channel_name
            )
        me = Participant(
            peer_id=self.peer_id,
            channel_name=self.channel_name,
            name=group_call_name(self.user, self.session),
            is_host=self.user.pk == self.session.host_id,
            user_id=self.user.pk,
        )
        return me, entered

    def _seen(self, user_id: int) -> None:
        with audit_context(self.audit()):
            group_call_residents_seen(viewer=self.user, session=self.session, user_ids=[user_id])

    async def connect(self) -> None:
        self.peer_id = secrets.token_urlsafe(12)
        self.peers: dict[str, Participant] = {}
        self.entered = False
        self.end_task: asyncio.Task[None] | None = None
        user = self.scope.get("user")
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        try:
            self.session = await database_sync_to_async(self._open)(user, public_id)
        except Http404:
            await self.close(code=4404)
            return
        self.user = user
        self.window = group_call_window(self.session)
        if not group_call_is_open(self.session, timezone.now()):
            await self.accept()
            with translation.override(settings.LANGUAGE_CODE):
                message = _("Deze online bijeenkomst is nu niet open.")
            await self.send_json({"type": "closed", "message": message})
            await self.close(code=CLOSE_OUTSIDE_WINDOW)
            return
        self.room_group = group_call_group(self.session)
        # In the group before entering: whoever enters at the same moment is
        # either in the list below or heard as peer-joined.
        await self.channel_layer.group_add(self.room_group, self.channel_name)
        me, entered = await database_sync_to_async(self._enter)()
        await self.accept()
        if entered is None:
            await self.channel_layer.group_discard(self.room_group, self.channel_name)
            jitsi_url = await database_sync_to_async(group_call_jitsi_url)(self.session)
            with translation.override(settings.LANGUAGE_CODE):
                message = _("De online bijeenkomst is vol: er kunnen %(count)s mensen tegelijk in.") % {
                    "count": MAX_PARTICIPANTS
                }
            await self.send_json({"type": "full", "message": message, "jitsi_url": jitsi_url})
            await self.close(code=CLOSE_FULL)
            return
        others, older = entered
        self.entered = True
        for channel in older:
            await self.channel_layer.send(channel, {"type": "groupcall.replace"})
        self.peers = {participant.peer_id: participant for participant in others}
        await self.access_watch()
        await self.send_json({"type": "hello", "peer": self.peer_id, "peers": [p.for_browser() for p in others]})
        await self.channel_layer.group_send(
            self.room_group, {"type": "groupcall.joined", "participant": dataclasses.asdict(me)}
        )
        self.end_task = asyncio.create_task(self._close_when_window_ends())

    async def _close_when_window_ends(self) -> None:
        await asyncio.sleep(max(0.0, (self.window.closes_at - timezone.now()).total_seconds()))
        with translation.override(settings.LANGUAGE_CODE):
            message = _("De tijd voor deze online bijeenkomst is voorbij.")
        await self.send_json({"type": "ended", "message": message})
        await self.close(code=CLOSE_OUTSIDE_WINDOW)

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if self.end_task is not None:
            self.end_task.cancel()
        if not self.entered:
            return
        self.entered = False
        await database_sync_to_async(group_call_leave)(peer_id=self.peer_id)
        await self.channel_layer.group_discard(self.room_group, self.channel_name)
        await self.channel_layer.group_send(
            self.room_group, {"type": "groupcall.left", "peer": self.peer_id, "channel": self.channel_name}
        )

    # --- From this page ------------------------------------------------------------

    def _clean(self, content: dict[str, Any]) -> dict[str, Any] | None:
        kind = content.get("type")
        if kind in ("description", "candidate", "media-state"):
            return signal_clean(content)
        if kind == "hand":
            raised = content.get("raised")
            return {"type": "hand", "raised": raised} if isinstance(raised, bool) else None
        if kind == "chat":
            text = content.get("text")
            if not isinstance(text, str):
                return None
            text = "".join(c for c in text if c.isprintable() or c == "\n").strip()
            return {"type": "chat", "text": text} if 0 < len(text) <= MAX_CHAT_CHARACTERS else None
        return None

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if not self.entered or not await self.access_guard(CHANGE):
            return
        with translation.override(settings.LANGUAGE_CODE):
            content = frame_parse(text_data, MAX_FRAME_CHARACTERS)
            if not isinstance(content, dict):
                await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."))
                return
            kind = content.get("type")
            if not isinstance(kind, str) or kind not in GROUP_FRAME_TYPES:
                await self._error("unknown_type", _("Dit soort bericht kennen we niet."))
                return
            target: Participant | None = None
            to = content.get("to")
            if kind in ("description", "candidate") or (kind in ("media-state", "hand") and to is not None):
                target = self.peers.get(to) if isinstance(to, str) else None
                if target is None:
                    await self._error("unknown_peer", _("Deze deelnemer is niet (meer) in de bijeenkomst."))
                    return
            frame = self._clean(content)
            if frame is None:
                await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."))
                return
            if not await self._within_rate():
                await self._error("rate_limited", _("U stuurt veel berichten snel achter elkaar. Wacht even."))
                return
        event = {"from": self.peer_id, "channel": self.channel_name, "room": self.room_group, "frame": frame}
        if target is not None:
            await self.channel_layer.send(target.channel_name, {"type": "groupcall.signal", **event})
        else:
            await self.channel_layer.group_send(self.room_group, {"type": "groupcall.broadcast", **event})

    async def _within_rate(self) -> bool:
        """As many frames per peer as a 1:1 call allows, for each of the others."""
        return await ratelimit.ahit(
            f"group-call-signal-rate:{self.user.pk}",
            limit=settings.CALL_SIGNAL_RATE_LIMIT * (MAX_PARTICIPANTS - 1),
            window_seconds=RATE_WINDOW_SECONDS,
        )

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # --- From the channel layer ------------------------------------------------------

    def _from_peer(self, event: dict[str, Any]) -> bool:
        """An event of a current peer of this room (not one's own)."""
        peer = self.peers.get(event.get("from", ""))
        return (
            self.entered
            and event.get("room") == self.room_group
            and peer is not None
            and peer.channel_name == event.get("channel")
        )

    async def groupcall_replace(self, event: dict[str, Any]) -> None:
        if not self.entered:
            return
        with translation.override(settings.LANGUAGE_CODE):
            message = _("U doet in een ander venster mee aan deze bijeenkomst.")
        await self.send_json({"type": "replaced", "message": message})
        await self.close(code=CLOSE_REPLACED)

    async def groupcall_joined(self, event: dict[str, Any]) -> None:
        participant = Participant(**event["participant"])
        if not self.entered or participant.channel_name == self.channel_name:
            return
        if participant.peer_id in self.peers or not await self.access_guard(CHANGE):
            return
        self.peers[participant.peer_id] = participant
        await database_sync_to_async(self._seen)(participant.user_id)
        await self.send_json({"type": "peer-joined", **participant.for_browser()})

    async def groupcall_left(self, event: dict[str, Any]) -> None:
        peer = self.peers.get(event["peer"])
        if peer is None or peer.channel_name != event["channel"]:
            return
        del self.peers[event["peer"]]
        if await self.access_guard(CHANGE):
            await self.send_json({"type": "peer-left", "peer": event["peer"]})

    async def groupcall_signal(self, event: dict[str, Any]) -> None:
        if self._from_peer(event) and await self.access_guard(CHANGE):
            await self.send_json({**event["frame"], "from": event["from"]})

    async def groupcall_broadcast(self, event: dict[str, Any]) -> None:
        if event["channel"] == self.channel_name:
            return
        if self._from_peer(event) and await self.access_guard(CHANGE):
            await self.send_json({**event["frame"], "from": event["from"]})
