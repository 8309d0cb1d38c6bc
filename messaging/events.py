"""Real-time events for a conversation, over the channel layer."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from samenspraak.sockets import group_sockets_recheck

logger = logging.getLogger(__name__)


def conversation_group(public_id: uuid.UUID | str) -> str:
    return f"conversation.{uuid.UUID(str(public_id)).hex}"


def conversation_sockets_recheck(public_id: uuid.UUID | str) -> None:
    """After commit, every open socket of the conversation checks its access
    again (a member removed, a visit closed) and closes when it has ended."""
    group_sockets_recheck(conversation_group(public_id))


def conversation_event_send(public_id: uuid.UUID | str, event: dict[str, Any]) -> None:
    """Tell every open socket of the conversation. Called after commit: a
    lost event is harmless, because clients catch up by sequence number."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(conversation_group(public_id), {"type": "conversation.event", "event": event})
    except Exception:
        logger.warning("Could not send a real-time event for conversation %s", public_id, exc_info=True)
