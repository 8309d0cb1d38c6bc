"""Small helpers shared by the messaging tests: switching chat on or off
the way a resident does, opening and writing in conversations through the
services, and a snapshot of everything a refused action could have changed."""

from __future__ import annotations

import uuid
from typing import Any

from accounts.models import User
from blend.services import channel_consent_set
from casefiles.models import TimelineEvent
from messaging.models import Conversation, Membership, Message, MessageReport
from messaging.services import conversation_direct_open, message_send


def chat_switched(resident: User, *, is_on: bool = True) -> None:
    """The resident switches chat on (or off) at 'Zo werken we samen'."""
    channel_consent_set(resident=resident, channel="chat", is_given=is_on, recorded_by=resident)


def direct_conversation(resident: User, worker: User) -> Conversation:
    """The resident's conversation with their worker, after chat was switched on."""
    chat_switched(resident)
    return conversation_direct_open(resident=resident, opened_by=worker)


def new_key() -> str:
    return uuid.uuid4().hex


def say(conversation: Conversation, author: User, body: str) -> Message:
    return message_send(conversation=conversation, author=author, body=body, client_key=new_key()).message


def conversation_url(conversation: Conversation) -> str:
    return f"/berichten/{conversation.public_id}/"


def send_url(conversation: Conversation) -> str:
    return f"/berichten/{conversation.public_id}/sturen/"


def since_url(conversation: Conversation, after: str) -> str:
    return f"/berichten/{conversation.public_id}/sinds/?na={after}"


def message_url(message: Message, action: str) -> str:
    """``action``: wijzigen, verwijderen, melden, verbergen or bijlage."""
    return f"/berichten/bericht/{message.public_id}/{action}/"


def members_url(conversation: Conversation) -> str:
    return f"/berichten/{conversation.public_id}/deelnemers/"


def remove_member_url(conversation: Conversation, member: User) -> str:
    return f"/berichten/{conversation.public_id}/deelnemers/{member.public_id}/weg/"


def messaging_state() -> dict[str, Any]:
    """Everything in messaging a refused action could have touched, to
    compare before and after."""
    return {
        "conversations": list(Conversation.objects.order_by("pk").values_list("pk", "kind", "last_sequence")),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "conversation_id", "user_id", "left_at", "is_moderator", "last_read_sequence", "notified_sequence"
            )
        ),
        "messages": list(
            Message.objects.order_by("pk").values_list(
                "conversation_id", "sequence", "body", "edited_at", "deleted_at", "hidden_at", "attachment"
            )
        ),
        "reports": list(MessageReport.objects.order_by("pk").values_list("message_id", "reporter_id", "handled_at")),
        "timeline": list(
            TimelineEvent.objects.filter(kind__startswith="messaging.")
            .order_by("pk")
            .values_list("kind", "resident_id")
        ),
    }
