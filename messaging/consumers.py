"""The conversation socket.

Frames from the client (JSON):
- ``{"type": "send", "client_key": "...", "body": "..."}`` → ``ack`` with the
  stored message (also for a resend: ``"duplicate": true``);
- ``{"type": "sync", "after": N}`` → ``messages`` after sequence N (at most
  200 at a time, ``"more": true`` when there are more);
- ``{"type": "read", "sequence": N}`` → stores the read status.
Frames to the client: ``hello``, ``ack``, ``messages``, ``message``,
``update``, ``read`` and ``error`` (with a Dutch ``message``). A bad frame
gets an error and the connection stays open.

Access is checked again before every frame and every pushed event
(``samenspraak.sockets.AccessCheckedConsumer``): a member who was removed,
a worker after a handover, a person who signed out or was blocked, or a
visitor whose visit was closed gets ``access-ended`` and the socket closes
with 4403. Each check is a read through the policy, so every message pushed
to a worker is in the access log like an HTTP read.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from audit.context import audit_context
from blend.selectors import resident_consents_to
from messaging.access import conversation_get_for_user
from messaging.consultation import VISIT_COOKIE, visit_from_token
from messaging.events import conversation_group
from messaging.models import MAX_SEQUENCE, Conversation, Message
from messaging.services import (
    MessageRateLimited,
    MessagingError,
    membership_ensure,
    message_payload,
    message_send,
    read_mark,
)
from samenspraak.sockets import CHANGE, VIEW, AccessCheckedConsumer, frame_parse

SYNC_BATCH = 200
MAX_FRAME_CHARACTERS = 20_000


class ConversationConsumer(AccessCheckedConsumer):
    conversation: Conversation

    async def connect(self) -> None:
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        user = self.scope.get("user")
        try:
            if user is not None and user.is_authenticated:
                self.conversation = await database_sync_to_async(self._open)(user, public_id)
            else:
                # A visitor of the consultation hour: no account, the signed
                # cookie of the visit is the proof.
                user, self.conversation = await database_sync_to_async(self._open_visit)(public_id)
                self.is_anonymous_visitor = True
        except Http404:
            await self.close(code=4404)
            return
        self.user = user
        self.group_name = conversation_group(self.conversation.public_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await self.access_watch()
        await self.send_json({"type": "hello", "last_sequence": self.conversation.last_sequence})

    def _open_visit(self, public_id: str) -> tuple[Any, Conversation]:
        token = (self.scope.get("cookies") or {}).get(VISIT_COOKIE, "")
        visit = visit_from_token(token) if token else None
        if visit is None or visit.conversation is None or str(visit.conversation.public_id) != str(public_id):
            raise Http404
        return visit.visitor, visit.conversation

    def _open(self, user: Any, public_id: str) -> Conversation:
        if not self.signed_in(user):
            raise Http404
        with audit_context(self.audit()):
            conversation = conversation_get_for_user(user=user, public_id=public_id)
            membership_ensure(conversation=conversation, user=user)
            return conversation

    def object_access_allowed(self, user: Any, action: str) -> bool:
        if user is None:
            token = (self.scope.get("cookies") or {}).get(VISIT_COOKIE, "")
            visit = visit_from_token(token) if token else None
            return visit is not None and visit.conversation_id == self.conversation.pk
        try:
            # A push or catch-up is logged as a read, like an HTTP read;
            # other frames log only a refusal.
            conversation = conversation_get_for_user(user=user, public_id=self.conversation.public_id, action=action)
        except Http404:
            return False
        # A resident's conversation is live only while they consent to chat:
        # withdrawing it (in the blend plan or on the privacy page) closes it.
        if conversation.kind != Conversation.Kind.DIRECT or conversation.resident is None:
            return True
        return resident_consents_to(resident=conversation.resident, channel="chat")

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)
        await super().disconnect(code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        content = frame_parse(text_data, MAX_FRAME_CHARACTERS)
        # Only a catch-up delivers data; a sent message is logged by the service.
        is_catch_up = isinstance(content, dict) and content.get("type") == "sync"
        if not await self.access_guard(VIEW if is_catch_up else CHANGE):
            return
        with translation.override(settings.LANGUAGE_CODE):
            if not isinstance(content, dict):
                await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."))
                return
            await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "send":
            await self.activity_record()
            await self._send_message(content)
        elif kind == "sync":
            await self._catch_up(content)
        elif kind == "read":
            sequence = content.get("sequence")
            if not isinstance(sequence, int) or isinstance(sequence, bool):
                await self._error("bad_sequence", _("Dit volgnummer klopt niet."))
                return
            await database_sync_to_async(read_mark)(conversation=self.conversation, user=self.user, sequence=sequence)
        else:
            await self._error("unknown_type", _("Dit soort bericht kennen we niet."))

    async def _send_message(self, content: dict[str, Any]) -> None:
        client_key, body = content.get("client_key"), content.get("body")
        if not isinstance(client_key, str) or not isinstance(body, str):
            await self._error("bad_frame", _("Dit bericht kon niet worden gelezen."), client_key=client_key)
            return
        try:
            ack = await database_sync_to_async(self._store)(self.user, body, client_key)
        except MessageRateLimited as error:
            # The client keeps the message and sends it again later.
            await self._error("rate_limited", str(error), client_key=client_key)
            return
        except MessagingError as error:
            await self._error("refused", str(error), client_key=client_key)
            return
        await self.send_json(ack)

    def _store(self, user: Any, body: str, client_key: str) -> dict[str, Any]:
        """Store (or find the earlier copy of) a message; the ack is built
        here, in the database thread."""
        with audit_context(self.audit()):
            result = message_send(conversation=self.conversation, author=user, body=body, client_key=client_key)
            return {
                "type": "ack",
                "client_key": client_key,
                "sequence": result.message.sequence,
                "duplicate": not result.created,
                "message": message_payload(result.message),
            }

    async def _catch_up(self, content: dict[str, Any]) -> None:
        after = content.get("after")
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_SEQUENCE:
            await self._error("bad_sequence", _("Dit volgnummer klopt niet."))
            return
        payloads = await database_sync_to_async(self._messages_after)(after)
        await self.send_json(
            {"type": "messages", "messages": payloads[:SYNC_BATCH], "more": len(payloads) > SYNC_BATCH}
        )

    def _messages_after(self, after: int) -> list[dict[str, Any]]:
        messages = (
            Message.objects.filter(conversation=self.conversation, sequence__gt=after)
            .select_related("author")
            .order_by("sequence")[: SYNC_BATCH + 1]
        )
        return [message_payload(m) for m in messages]

    async def _error(self, code: str, message: str, client_key: Any = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if isinstance(client_key, str):
            frame["client_key"] = client_key
        await self.send_json(frame)

    async def conversation_event(self, event: dict[str, Any]) -> None:
        if await self.access_guard(VIEW):
            await self.send_json(event["event"])
