"""Sockets that hold access only while the person still may.

An HTTP request is checked when it arrives; a WebSocket stays open for
hours, so a check at connect time is not enough. Every socket consumer is
built on ``AccessCheckedConsumer``, which:

- checks access again before every frame it handles and before every event
  it pushes (``access_guard``): the session still exists and belongs to this
  person, their password did not change, the account is active, the idle
  limit has not passed, and the consumer's own rule (membership, case
  access, appointment state, open visit) still holds. A notice that never
  arrives therefore cannot leak anything;
- joins a channel-layer group per person and per session, so that the
  service which ends access can close the affected sockets at once: the
  service calls ``user_sockets_recheck`` / ``session_sockets_close`` /
  ``group_sockets_recheck``, which act after the transaction commits (a
  rolled-back change closes nothing, and a re-check sees the committed
  state);
- wakes up when the session's idle limit passes, so an idle socket closes
  on time without any event;
- ends with a frame ``{"type": "access-ended", "message": ...}`` and close
  code ``CLOSE_ACCESS_ENDED``; the pages then stop reconnecting and say so.

This module is part of the platform core: it knows sessions and users, not
conversations or appointments. Capabilities name their own groups and give
the object rule in ``object_access_allowed``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from functools import partial
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.middleware import LAST_SEEN_KEY, idle_limit_seconds
from audit.context import AuditContext, audit_context, audit_context_for_socket, session_reference

logger = logging.getLogger(__name__)

CLOSE_ACCESS_ENDED = 4403
# The two kinds of check (the access log's actions): delivering data is a
# read; anything else only needs the refusal logged.
VIEW, CHANGE = "view", "change"
# A frame the person sends counts as activity for the idle limit, written
# at most this often (the same rhythm as the HTTP middleware).
ACTIVITY_WRITE_SECONDS = 60


def user_sockets_group(public_id: Any) -> str:
    return f"sockets.user.{getattr(public_id, 'hex', str(public_id).replace('-', ''))}"


def session_sockets_group(session_key: str) -> str:
    return f"sockets.session.{session_reference(session_key)}"


def _group_send(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        # The check before every push still holds when a notice is lost.
        logger.warning("Could not tell the sockets of %s that access changed", group, exc_info=True)


def group_sockets_recheck(group: str) -> None:
    """After commit, every open socket in ``group`` checks its access again
    and closes when it has ended."""
    transaction.on_commit(partial(_group_send, group, {"type": "access.recheck"}))


def user_sockets_recheck(user: Any) -> None:
    """Something about ``user``'s access changed (blocked, role, caseload,
    membership, password): their open sockets check again after commit."""
    group_sockets_recheck(user_sockets_group(user.public_id))


def session_sockets_close(session_key: str | None) -> None:
    """The session ended (sign-out): its sockets close after commit, without
    waiting for the session row to be gone."""
    if session_key:
        transaction.on_commit(partial(_group_send, session_sockets_group(session_key), {"type": "access.revoke"}))


# --- Hook handlers (registered by accounts.apps) -------------------------------------


def sockets_follow_caseload(*, lost: list[Any], **_: Any) -> None:
    """Workers who may no longer see the resident: their sockets check again."""
    for worker in lost:
        user_sockets_recheck(worker)


def sockets_follow_grant(*, grant: Any, **_: Any) -> None:
    user_sockets_recheck(grant.trusted_person)


def sockets_follow_account(*, account: Any, **_: Any) -> None:
    user_sockets_recheck(account)


# --- The session, read from a socket ---------------------------------------------


def session_user(session_key: str | None) -> Any:
    """The active user of a session, exactly as an HTTP request would see it
    (Django's ``auth.get_user``: session present and not expired, a known
    backend, an active account, and the password hash the session was made
    with), or None. Also applies the idle limit of ``IdleSessionTimeoutMiddleware``."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if not store.load():
        return None
    user = auth.get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
    if not user.is_authenticated or not user.is_active:
        return None
    last_seen = store.get(LAST_SEEN_KEY)
    if last_seen is not None and time.time() - int(last_seen) > idle_limit_seconds(user.role):
        return None
    return user


def session_idle_deadline(session_key: str, role: str) -> float | None:
    """When the session passes its idle limit (a Unix time), if it has a clock."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    last_seen = store.load().get(LAST_SEEN_KEY)
    if last_seen is None:
        return None
    return int(last_seen) + idle_limit_seconds(role)


def session_activity_record(session_key: str) -> None:
    """The person did something on the socket: the idle clock starts again."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    data = store.load()
    if not data:
        return
    now = int(time.time())
    if now - int(data.get(LAST_SEEN_KEY, 0)) < ACTIVITY_WRITE_SECONDS:
        return
    store[LAST_SEEN_KEY] = now
    try:
        store.save()
    except Exception:
        # Deleted in the meantime (sign-out): the next check closes the socket.
        logger.info("Session ended while recording socket activity")


def frame_parse(text_data: str | None, limit: int) -> Any:
    """A client frame as JSON, or None when it is missing, too long or not
    JSON. Deep nesting is refused here too (``RecursionError``), so a
    hostile frame gets an error frame instead of closing the socket with 1011."""
    if text_data is None or len(text_data) > limit:
        return None
    try:
        return json.loads(text_data)
    except (ValueError, RecursionError):
        return None


class AccessCheckedConsumer(AsyncJsonWebsocketConsumer):
    """Base of every socket consumer; see the module docstring.

    A subclass sets ``self.user`` (and, for a signed-in person, lets this
    class take the session from the scope), calls ``access_watch()`` after
    accepting, calls ``access_guard(VIEW or CHANGE)`` before handling a frame or pushing an
    event, and implements ``object_access_allowed`` (runs in the database
    thread, may log the read through the policy functions).
    """

    user: Any = None
    # True for a visitor without an account (the consultation hour), whose
    # proof is a signed cookie the subclass checks in object_access_allowed.
    is_anonymous_visitor = False
    access_ended = False
    # Whether being connected is itself activity (a live video call).
    connection_is_activity = False

    # --- Set-up and tear-down ---------------------------------------------------------

    @property
    def session_key(self) -> str | None:
        session = self.scope.get("session")
        return getattr(session, "session_key", None)

    def audit(self) -> AuditContext:
        return audit_context_for_socket(self.scope)

    async def access_watch(self) -> None:
        """Join the groups through which access can be ended, and start the
        idle clock. Call after ``accept``."""
        self._access_groups: list[str] = []
        if self.user is not None and not self.is_anonymous_visitor:
            self._access_groups.append(user_sockets_group(self.user.public_id))
        if self.session_key and not self.is_anonymous_visitor:
            self._access_groups.append(session_sockets_group(self.session_key))
        for group in self._access_groups:
            await self.channel_layer.group_add(group, self.channel_name)
        if self.session_key and not self.is_anonymous_visitor:
            self._idle_task: asyncio.Task[None] | None = asyncio.create_task(self._close_when_idle())

    async def access_unwatch(self) -> None:
        task = getattr(self, "_idle_task", None)
        if task is not None:
            task.cancel()
        for group in getattr(self, "_access_groups", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        await self.access_unwatch()

    # --- The check ----------------------------------------------------------------------

    def object_access_allowed(self, user: Any, action: str) -> bool:
        """The capability's own rule for ``user`` (a fresh copy of the
        account, None for an anonymous visitor). ``action`` is "view" when
        the socket is about to deliver data (a push, a catch-up): that is a
        read, logged through the policy like an HTTP read; "change" for a
        frame that delivers nothing or makes a change the service logs (the
        policy then logs only a refusal). Runs in the database thread with
        the socket's audit context set. Subclasses override; the default
        allows nothing."""
        return False

    def signed_in(self, user: Any) -> bool:
        """At connect (database thread): the scope's user still holds this
        session — also within its idle limit, which the channels middleware
        does not know about."""
        current = session_user(self.session_key)
        return current is not None and current.pk == user.pk

    def _access_check(self, action: str) -> bool:
        with audit_context(self.audit()):
            if self.is_anonymous_visitor:
                return self.object_access_allowed(None, action)
            if self.connection_is_activity and self.session_key:
                session_activity_record(self.session_key)
            user = session_user(self.session_key)
            if user is None or self.user is None or user.pk != self.user.pk:
                return False
            return self.object_access_allowed(user, action)

    async def access_guard(self, action: str = VIEW) -> bool:
        """True while access holds; otherwise ends the socket and returns False."""
        if self.access_ended:
            return False
        if await database_sync_to_async(self._access_check)(action):
            return True
        await self.access_end()
        return False

    async def access_end(self) -> None:
        if self.access_ended:
            return
        self.access_ended = True
        with translation.override(settings.LANGUAGE_CODE):
            message = _("U hebt geen toegang meer tot dit gesprek, of u bent uitgelogd. Laad de pagina opnieuw.")
        try:
            await self.send_json({"type": "access-ended", "message": message})
        finally:
            await self.close(code=CLOSE_ACCESS_ENDED)
            await self.access_unwatch()

    async def activity_record(self) -> None:
        """A frame from the person: counts as activity for the idle limit."""
        if self.session_key and not self.is_anonymous_visitor:
            await database_sync_to_async(session_activity_record)(self.session_key)

    async def _close_when_idle(self) -> None:
        assert self.session_key is not None
        while not self.access_ended:
            deadline = await database_sync_to_async(session_idle_deadline)(self.session_key, self.user.role)
            # Without a clock yet (a fresh session), look again within a minute.
            wait = 60.0 if deadline is None else max(0.0, deadline - time.time()) + 0.5
            if self.connection_is_activity:
                wait = min(wait, ACTIVITY_WRITE_SECONDS)
            await asyncio.sleep(min(wait, 300.0))
            if not await self.access_guard(CHANGE):
                return

    # --- Events from the services -------------------------------------------------------

    async def access_recheck(self, event: dict[str, Any]) -> None:
        await self.access_guard(CHANGE)

    async def access_revoke(self, event: dict[str, Any]) -> None:
        await self.access_end()
