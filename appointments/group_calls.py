"""Group video: the built-in video room of an online group session.

A small group (at most ``MAX_PARTICIPANTS`` people) meets in the browser:
every browser connects to every other one (mesh WebRTC), with signalling
over ``appointments.consumers.GroupCallConsumer``
(``ws/groepsbellen/<public_id>/``). Larger sessions (more places than
``MAX_PARTICIPANTS``) keep using the organisation's own Jitsi server.

Who: the host (the worker who leads the session) and residents with an
active sign-up. When: from 15 minutes before the start until 30 minutes
after the end, as for the 1:1 call (``appointments.calls``). Cancelling the
session, moving it or a resident's sign-off tells the open sockets to look
again (``group_call_sockets_recheck``); the consumer also checks before
every frame and every relayed event.

Who is in the room lives in ``GroupCallPresence`` (one row per socket,
shared by every server process), so the room can be counted under the
session's row lock: the seventh person hears that it is full.

Logged: entering the room is a read of the sign-up of every resident one
meets there (their name is shown), one access-log entry per resident, at
connect for those already there and when someone joins later
(``group_call_residents_seen``). Frames (media negotiation, the hand, chat
lines) are relayed, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from appointments.calls import CLOSES_AFTER_END, OPENS_BEFORE_START, CallWindow
from appointments.models import GroupCallPresence, GroupSession, GroupSessionSignup
from appointments.sessions import BUILT_IN_VIDEO_PLACES, SIGNUP_OBJECT_TYPE, room_url
from appointments.sessions import group_call_group as group_call_group
from appointments.sessions import group_call_sockets_recheck as group_call_sockets_recheck
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record

MAX_PARTICIPANTS = BUILT_IN_VIDEO_PLACES
# A socket refreshes its row at most this often (on a frame, or the idle
# check that runs at least every minute during a call) ...
PRESENCE_REFRESH = timedelta(seconds=30)
# ... so a row not refreshed for this long belongs to a socket that died.
PRESENCE_STALE = timedelta(minutes=3)


@dataclass(frozen=True)
class Participant:
    """Someone in the room, as another socket needs to know them: the peer
    id and name for the browser, the channel for the relay (never sent to
    a browser), the user id for the access log."""

    peer_id: str
    channel_name: str
    name: str
    is_host: bool
    user_id: int

    def for_browser(self) -> dict[str, Any]:
        return {"peer": self.peer_id, "name": self.name, "host": self.is_host}


# --- Rules (reads only) ------------------------------------------------------------------


def group_call_is_builtin(session: GroupSession) -> bool:
    """An online session small enough for the built-in room."""
    return session.kind == GroupSession.Kind.ONLINE and session.capacity <= MAX_PARTICIPANTS


def group_call_window(session: GroupSession) -> CallWindow:
    return CallWindow(opens_at=session.starts_at - OPENS_BEFORE_START, closes_at=session.ends_at + CLOSES_AFTER_END)


def group_call_is_open(session: GroupSession, now: datetime) -> bool:
    return group_call_is_builtin(session) and session.cancelled_at is None and group_call_window(session).contains(now)


def group_call_member(user: User, session: GroupSession) -> bool:
    """The host, or a resident with an active sign-up (time aside)."""
    if user.organisation_id != session.organisation_id or not user.is_active:
        return False
    if user.pk == session.host_id:
        return True
    return (
        user.role == Role.RESIDENT
        and GroupSessionSignup.objects.filter(session=session, resident=user, cancelled_at__isnull=True).exists()
    )


def group_call_name(user: User, session: GroupSession) -> str:
    """Residents show only the first name they chose, as in group chats;
    the host their full name."""
    if user.pk == session.host_id:
        return user.full_name or user.username
    return user.preferred_name or user.first_name or _("Deelnemer")


def group_call_jitsi_url(session: GroupSession) -> str:
    """The organisation's Jitsi room for this session ("" without one): the
    way in for a full room and for larger sessions."""
    return room_url(session, session.organisation)


# --- Presence (the room's members, shared by every server process) -----------------------


def _fresh(session: GroupSession, now: datetime) -> Any:
    return GroupCallPresence.objects.filter(session=session, seen_at__gte=now - PRESENCE_STALE)


def group_call_enter(
    *, session: GroupSession, user: User, peer_id: str, channel_name: str
) -> tuple[list[Participant], list[str]] | None:
    """``user`` enters the room with a new socket. Returns the others in the
    room and the channels of this person's older sockets (another tab: they
    are told to close), or None when the room is full. Counted under the
    session's row lock, so two people taking the last place run one after
    the other. The residents met are logged as read."""
    now = timezone.now()
    with transaction.atomic():
        GroupSession.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        GroupCallPresence.objects.filter(session=session, seen_at__lt=now - PRESENCE_STALE).delete()
        rows = list(_fresh(session, now).select_related("user").order_by("joined_at", "pk"))
        older = [row for row in rows if row.user_id == user.pk]
        others = [row for row in rows if row.user_id != user.pk]
        if len({row.user_id for row in others}) >= MAX_PARTICIPANTS:
            return None
        GroupCallPresence.objects.filter(pk__in=[row.pk for row in older]).delete()
        GroupCallPresence.objects.create(
            session=session, user=user, peer_id=peer_id, channel_name=channel_name, seen_at=now
        )
        group_call_residents_seen(viewer=user, session=session, user_ids=[user.pk, *[row.user_id for row in others]])
    participants = [
        Participant(
            peer_id=row.peer_id,
            channel_name=row.channel_name,
            name=group_call_name(row.user, session),
            is_host=row.user_id == session.host_id,
            user_id=row.user_id,
        )
        for row in others
    ]
    return participants, [row.channel_name for row in older]


def group_call_still_in(*, peer_id: str) -> bool:
    """The socket's row still exists (a newer tab of the same person removes
    it); refreshed when it is older than ``PRESENCE_REFRESH``."""
    now = timezone.now()
    rows = GroupCallPresence.objects.filter(peer_id=peer_id)
    seen_at = rows.values_list("seen_at", flat=True).first()
    if seen_at is None:
        return False
    if seen_at < now - PRESENCE_REFRESH:
        # Written only now and then: a frame is mostly a read.
        rows.update(seen_at=now)
    return True


def group_call_leave(*, peer_id: str) -> None:
    GroupCallPresence.objects.filter(peer_id=peer_id).delete()


def group_call_residents_seen(*, viewer: User, session: GroupSession, user_ids: Iterable[int]) -> None:
    """``viewer`` sees these people in the room: one access-log entry (a read
    of the sign-up) per resident among them. One query and one write."""
    ids = set(user_ids) - {session.host_id}
    if not ids:
        return
    signups = GroupSessionSignup.objects.filter(
        session=session, resident_id__in=ids, cancelled_at__isnull=True
    ).select_related("resident")
    access_log_record(
        actor=viewer,
        accesses=[
            Access(signup.resident, SIGNUP_OBJECT_TYPE, str(signup.public_id), AccessLogEntry.Action.VIEW)
            for signup in signups
        ],
    )
