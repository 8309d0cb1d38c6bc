"""What needs a person: counts for the menu badges, kept live over a socket.

Each capability knows what waits for someone in its own part (unread
conversations, appointment requests, open corrections, news for a resident,
visitors in the consultation-hour queue). The core must not import them, so
each registers an ``AttentionCounter`` in its ``AppConfig.ready``: a name,
the function that counts for one person (a fixed number of queries,
whatever the data size), and where the badge links to.

``attention_counts(user)`` gives every applicable count. A service that
changes what someone must attend to calls ``attention_changed(users)``
inside its transaction; after commit, every open page of those people
receives the new counts over ``ws/aandacht/`` (``AttentionConsumer``). The
frame holds numbers only: no names, no content. Pages work without the
socket; the counts are then as fresh as the last page load.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from samenspraak.sockets import CHANGE, VIEW, AccessCheckedConsumer, frame_parse

logger = logging.getLogger(__name__)

# A burst of changes (a visitor typing a first question and sending it, a
# worker confirming three requests) becomes one recount per page.
COALESCE_SECONDS = 0.3
MAX_FRAME_CHARACTERS = 256


@dataclass(frozen=True)
class AttentionCounter:
    """``count(user)`` returns the number waiting for ``user``, or None when
    this counter does not apply to them (a resident has no request queue).
    ``url_name`` is where the badge's link goes. ``label`` is a short text
    for screen readers, e.g. "ongelezen gesprekken"."""

    name: str
    count: Callable[[User], int | None]
    url_name: str = ""
    order: int = 50


_counters: dict[str, AttentionCounter] = {}


def attention_counter_register(counter: AttentionCounter) -> None:
    _counters[counter.name] = counter


def attention_counters() -> list[AttentionCounter]:
    return sorted(_counters.values(), key=lambda counter: (counter.order, counter.name))


def attention_counts(user: Any) -> dict[str, int]:
    """Every count that applies to ``user`` (signed in), by counter name."""
    if not getattr(user, "is_authenticated", False):
        return {}
    counts: dict[str, int] = {}
    for counter in attention_counters():
        value = counter.count(user)
        if value is not None:
            counts[counter.name] = value
    return counts


def attention_url(name: str) -> str:
    counter = _counters.get(name)
    if counter is None or not counter.url_name:
        return ""
    try:
        return reverse(counter.url_name)
    except NoReverseMatch:
        return ""


# --- Telling open pages -------------------------------------------------------------


def attention_group(public_id: Any) -> str:
    return f"attention.user.{getattr(public_id, 'hex', str(public_id).replace('-', ''))}"


def _groups_send(groups: list[str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    def send() -> None:
        for group in groups:
            try:
                async_to_sync(layer.group_send)(group, {"type": "attention.changed"})
            except Exception:
                # The page still shows the right counts on its next load.
                logger.warning("Could not tell open pages that counts changed", exc_info=True)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send()
        return
    # Called from a thread that runs an event loop (a script or test driving
    # a browser): async_to_sync refuses there, so send from a helper thread.
    sender = threading.Thread(target=send, name="attention-send")
    sender.start()
    sender.join(timeout=5)


def attention_changed(users: Iterable[Any]) -> None:
    """The counts of ``users`` (accounts or their public ids) may have
    changed: after commit, their open pages get fresh counts."""
    groups = sorted({attention_group(getattr(user, "public_id", user)) for user in users if user is not None})
    if groups:
        transaction.on_commit(partial(_groups_send, groups))


# --- The socket ------------------------------------------------------------------------


class AttentionConsumer(AccessCheckedConsumer):
    """``ws/aandacht/``: counts for the signed-in person of this session.

    Frames to the client: ``{"type": "hello", "counts": {name: n}}`` at
    connect, ``{"type": "counts", "counts": {...}}`` after every change; ``access-ended`` as every socket.
    Frames from the client: ``{"type": "refresh"}`` asks for the counts again
    (after the page came back from the background); anything else gets an
    ``error`` frame. Counts are about the person themselves, not a
    resident's record, so delivering them is not logged as a read.
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        if not await database_sync_to_async(self.signed_in)(user):
            await self.close()
            return
        self.user = user
        self._pending: asyncio.Task[None] | None = None
        await self.accept()
        await self.access_watch()
        self._group = attention_group(user.public_id)
        await self.channel_layer.group_add(self._group, self.channel_name)
        await self.counts_send(kind="hello")

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "_group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)
        pending = getattr(self, "_pending", None)
        if pending is not None:
            pending.cancel()
        await super().disconnect(code)

    def object_access_allowed(self, user: Any, action: str) -> bool:
        return True

    async def counts_send(self, kind: str = "counts") -> None:
        if not await self.access_guard(VIEW):
            return
        counts = await database_sync_to_async(attention_counts)(self.user)
        await self.send_json({"type": kind, "counts": counts})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if not await self.access_guard(CHANGE):
            return
        frame = frame_parse(text_data, MAX_FRAME_CHARACTERS)
        if isinstance(frame, dict) and frame.get("type") == "refresh":
            await self.counts_send()
            return
        with translation.override(settings.LANGUAGE_CODE):
            message = _("Dit soort bericht kennen we niet.")
        await self.send_json({"type": "error", "code": "unknown_type", "message": message})

    async def attention_changed(self, event: dict[str, Any]) -> None:
        if self._pending is not None and not self._pending.done():
            return
        self._pending = asyncio.create_task(self._send_later())

    async def _send_later(self) -> None:
        await asyncio.sleep(COALESCE_SECONDS)
        await self.counts_send()
