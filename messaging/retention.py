"""Messaging's record classes for the retention engine
(``samenspraak/retention.py``):

- ``messages``: a conversation with a resident or a group, with its members,
  messages and attachments, as one unit, counted from its last message (or
  from its start when it never had one);
- ``consultation_chats``: an anonymous visit of the chat consultation hour
  with its conversation and the visitor record, counted from the visit. A
  visitor who became a client is no longer anonymous and is kept.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from messaging.models import ConsultationVisit, Conversation, Message
from samenspraak.retention import DueItem, RecordClass, record_class_register


def _files_delete(names: list[str]) -> None:
    storage = Message.attachment.field.storage
    for name in names:
        storage.delete(name)


def conversations_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    conversations = Conversation.objects.filter(
        organisation_id=organisation_id, kind__in=(Conversation.Kind.DIRECT, Conversation.Kind.GROUP)
    ).annotate(last_at=Coalesce("last_message_at", "created_at"))
    if before is not None:
        conversations = conversations.filter(last_at__lt=before)
    if resident_ids is not None:
        # A resident's own conversation with their workers; groups hold
        # other people's messages too and are not one resident's unit.
        conversations = conversations.filter(kind=Conversation.Kind.DIRECT, resident_id__in=resident_ids)
    return [
        DueItem(object_id=str(public_id), resident_id=resident_id, reference_at=last_at)
        for public_id, resident_id, last_at in conversations.order_by("pk").values_list(
            "public_id", "resident_id", "last_at"
        )
    ]


def conversations_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    conversations = Conversation.objects.filter(
        organisation_id=organisation_id,
        public_id__in=object_ids,
        kind__in=(Conversation.Kind.DIRECT, Conversation.Kind.GROUP),
    )
    rows = list(conversations.values_list("pk", "public_id"))
    if not rows:
        return []
    ids = [pk for pk, _public_id in rows]
    names = [
        name
        for name in Message.objects.filter(conversation_id__in=ids)
        .exclude(attachment="")
        .values_list("attachment", flat=True)
        if name
    ]
    Conversation.objects.filter(pk__in=ids).delete()
    transaction.on_commit(partial(_files_delete, names))
    return [str(public_id) for _pk, public_id in rows]


def consultation_chats_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    if resident_ids is not None:
        return []  # anonymous visits belong to no resident
    visits = ConsultationVisit.objects.filter(organisation_id=organisation_id, is_anonymous=True)
    if before is not None:
        visits = visits.filter(created_at__lt=before)
    return [
        DueItem(object_id=str(public_id), resident_id=None, reference_at=created_at)
        for public_id, created_at in visits.order_by("pk").values_list("public_id", "created_at")
    ]


def consultation_chats_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Delete the anonymous visits ``object_ids``: their conversation and
    messages, the visit and the visitor record (an account of role
    visitor only)."""
    visits = ConsultationVisit.objects.filter(
        organisation_id=organisation_id, is_anonymous=True, public_id__in=object_ids
    )
    rows = list(visits.values_list("pk", "conversation_id", "visitor_id", "public_id"))
    if not rows:
        return []
    conversation_ids = [row[1] for row in rows if row[1]]
    visitor_ids = [row[2] for row in rows]
    Conversation.objects.filter(pk__in=conversation_ids).delete()
    ConsultationVisit.objects.filter(pk__in=[row[0] for row in rows]).delete()
    User.objects.filter(pk__in=visitor_ids, role=Role.VISITOR).delete()
    return [str(row[3]) for row in rows]


def register() -> None:
    record_class_register(
        RecordClass(
            code="messages",
            label=_("Berichten"),
            rule=_("na het laatste bericht in het gesprek"),
            order=20,
            unit="years",
            default=15,
            legal_minimum=0,
            legal_basis=_("Geen eigen wettelijke termijn; standaard zo lang als het dossier"),
            items=conversations_due,
            destroy=conversations_destroy,
        )
    )
    record_class_register(
        RecordClass(
            code="consultation_chats",
            label=_("Anonieme chats van het spreekuur"),
            rule=_("na het bezoek aan het spreekuur"),
            order=40,
            unit="days",
            default=30,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; zo kort mogelijk (AVG art. 5)"),
            items=consultation_chats_due,
            destroy=consultation_chats_destroy,
        )
    )
