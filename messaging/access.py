"""Who may reach a conversation or a message: messaging's getters.

Built on the policy core (``samenspraak.policy``): a resident's direct
conversation is reached through ``resident_get_for_user`` (which logs the
read or the refusal), a group through its active memberships. Missing and
forbidden both answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import CLIENT_ROLES, Role, User
from audit.services import Access, access_log_record
from messaging.models import Conversation, Membership, Message
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id, resident_get_for_user

MESSAGES_SCOPE = "messages"


def conversation_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> Conversation:
    """A conversation ``user`` may take part in; logged for staff.

    A resident's direct conversation is open to the resident, to the
    workers who may see the resident (caseload, team lead), so access moves
    with a handover, and to a trusted person the resident granted
    "messages" (they write as themselves, "namens" the resident). A group is
    open to its active members only; trusted persons never take part in one.
    """
    conversation = Conversation.objects.select_related("resident").filter(public_id=parse_public_id(public_id)).first()
    if conversation is None:
        raise Http404
    if conversation.kind == Conversation.Kind.DIRECT:
        assert conversation.resident is not None
        # A trusted person without the "messages" scope is refused here,
        # and that refusal is logged against the resident.
        resident_get_for_user(
            user=user,
            public_id=conversation.resident.public_id,
            action=action,
            object_type="conversation",
            object_id=str(conversation.public_id),
            scope=MESSAGES_SCOPE,
        )
        return conversation
    members = User.objects.filter(
        memberships__conversation=conversation, memberships__left_at__isnull=True, role=Role.RESIDENT
    )
    is_member = Membership.objects.active().filter(conversation=conversation, user=user).exists()
    if not is_member or conversation.organisation_id != user.organisation_id or user.role == Role.TRUSTED_PERSON:
        # A group holds the data of each resident in it, so a refusal is
        # logged once per current resident member (their privacy officer
        # finds it under their name). A group without residents is logged
        # once, against the conversation itself in the group's organisation.
        refused = [Access(r, "conversation", str(conversation.public_id), action, Outcome.DENIED) for r in members]
        access_log_record(
            actor=user,
            accesses=refused
            or [
                Access(
                    None,
                    "conversation",
                    str(conversation.public_id),
                    action,
                    Outcome.DENIED,
                    organisation_id=conversation.organisation_id,
                )
            ],
        )
        raise Http404
    if user.role not in CLIENT_ROLES and action in READ_ACTIONS:
        access_log_record(
            actor=user,
            accesses=[Access(r, "conversation", str(conversation.public_id), action) for r in members],
        )
    return conversation


def message_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> Message:
    message = (
        Message.objects.select_related("conversation", "author").filter(public_id=parse_public_id(public_id)).first()
    )
    if message is None:
        raise Http404
    conversation_get_for_user(user=user, public_id=message.conversation.public_id, action=action)
    return message
