"""Reads for messaging, scoped to the conversations a person takes part in."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from accounts.models import CASEWORK_ROLES, CLIENT_ROLES, Role, User
from messaging.models import ConsultationVisit, Conversation, Membership, Message
from organisations.caseload import CaseloadCounts, count_per_resident
from samenspraak.policy import organisation_id_of, residents_for_casework

PAGE = 50
LINK = re.compile(r"(https?://|www\.)", re.I)
SENSITIVE = re.compile(r"\b(digid|pincode|pin-code|wachtwoord|iban|bankrekening|inlogcode|sms-code|tan-code)\b", re.I)


def conversations_for(*, user: User) -> QuerySet[Conversation]:
    """Conversations the person takes part in; for workers, the direct
    conversations are those of the residents they may see now."""
    mine = Q(memberships__user=user, memberships__left_at__isnull=True)
    if user.role not in CLIENT_ROLES:
        # A resident's direct conversation follows the caseload: a worker who
        # handed the resident over keeps a membership row, not the access.
        direct = Q(kind=Conversation.Kind.DIRECT)
        mine = (mine & ~direct) | (direct & Q(resident__in=residents_for_casework(user)))
    return (
        Conversation.objects.filter(mine, organisation_id=organisation_id_of(user))
        .distinct()
        .select_related("resident")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def unread_conversations_count(*, user: User) -> int:
    """How many of the person's conversations have a message they have not
    read; one query. A worker counts a caseload resident's conversation also
    before first opening it (no membership yet: nothing read)."""
    read_up_to = Membership.objects.filter(conversation=OuterRef("pk"), user=user, left_at__isnull=True).values(
        "last_read_sequence"
    )[:1]
    return (
        conversations_for(user=user)
        .order_by()
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), Value(0)))
        .filter(last_sequence__gt=F("read_up_to"))
        .count()
    )


def unread_by_conversation(*, user: User) -> dict[int, int]:
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .values_list("conversation_id", "conversation__last_sequence", "last_read_sequence")
    )
    return {conversation_id: max(0, last - read) for conversation_id, last, read in rows}


def messages_page(*, conversation: Conversation, before: int | None = None) -> list[Message]:
    """The latest messages (or those before ``before``), oldest first."""
    messages = Message.objects.filter(conversation=conversation).select_related("author")
    if before is not None:
        messages = messages.filter(sequence__lt=before)
    return list(reversed(messages.order_by("-sequence")[:PAGE]))


def read_by(*, conversation: Conversation) -> list[Membership]:
    return list(Membership.objects.active().filter(conversation=conversation).select_related("user"))


def message_search(*, user: User, query: str) -> QuerySet[Message]:
    return (
        Message.objects.filter(
            conversation__in=conversations_for(user=user),
            body__icontains=query,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .select_related("conversation", "conversation__resident")
        .order_by("-created_at")[:50]
    )


def warnings_for(body: str) -> list[str]:
    """Why a message deserves a safety banner (links, codes, bank details)."""
    reasons = []
    if LINK.search(body):
        reasons.append("link")
    if SENSITIVE.search(body):
        reasons.append("sensitive")
    return reasons


# --- What messaging adds to the caseload (organisations/caseload.py) ----------------


def caseload_counts_of_messaging(worker: User) -> dict[str, Any]:
    """Chat messages from the resident in their conversation with their
    workers that ``worker`` has not read yet."""
    read_up_to = Membership.objects.filter(
        conversation=OuterRef("conversation"), user=worker, left_at__isnull=True
    ).values("last_read_sequence")[:1]
    unread = (
        Message.objects.filter(
            conversation__kind=Conversation.Kind.DIRECT,
            conversation__resident=OuterRef("pk"),
            author=OuterRef("pk"),
            deleted_at__isnull=True,
        )
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), Value(0)))
        .filter(sequence__gt=F("read_up_to"))
    )
    # The caseload links the count straight to the conversation.
    chat = Conversation.objects.filter(kind=Conversation.Kind.DIRECT, resident=OuterRef("pk")).values("public_id")[:1]
    return {"new_messages": count_per_resident(unread, "conversation__resident"), "chat_public_id": Subquery(chat)}


# --- What needs a person (samenspraak/attention.py) ----------------------------------


def attention_unread_conversations(user: User) -> int | None:
    if user.role != Role.RESIDENT and user.role not in CASEWORK_ROLES:
        return None
    return unread_conversations_count(user=user)


def attention_consultation_queue(user: User) -> int | None:
    """Visitors waiting, for a worker on duty now (two queries)."""
    from messaging.duty import is_on_duty

    if not is_on_duty(user=user) or user.organisation_id is None:
        return None
    return ConsultationVisit.objects.filter(
        organisation_id=user.organisation_id, status=ConsultationVisit.Status.WAITING
    ).count()


CASELOAD_COUNTS = CaseloadCounts(
    name="messaging", order=30, annotations=caseload_counts_of_messaging, unread=("new_messages",)
)


# --- News for the resident's home page (pages composes it) ---------------------------


def _unread_since(user: User, since: Any) -> QuerySet[Message]:
    """Messages from others in the person's conversations that arrived after
    ``since`` and that they have not read yet (not deleted or hidden)."""
    return Message.objects.filter(
        conversation__memberships__user=user,
        conversation__memberships__left_at__isnull=True,
        sequence__gt=F("conversation__memberships__last_read_sequence"),
        created_at__gt=since,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    ).exclude(author=user)


def unread_since(*, user: User, since: Any) -> list[dict[str, Any]]:
    """Per conversation with such messages: ``conversation__public_id``,
    ``conversation__kind``, ``conversation__title``, ``count`` and ``latest``
    (when the newest came); one query."""
    rows = (
        _unread_since(user, since)
        .values("conversation__public_id", "conversation__kind", "conversation__title")
        .annotate(count=Count("pk"), latest=Max("created_at"))
        .order_by("-latest")
    )
    return [dict(row) for row in rows]


def unread_since_count(*, user: User, since: Any) -> int:
    """How many conversations have such messages; one query."""
    return int(_unread_since(user, since).values("conversation_id").distinct().count())


def messages_written_by(*, author: User) -> QuerySet[Message]:
    """Every message ``author`` wrote and did not delete, oldest first, with
    its conversation (for the export of one's own data, issue 15)."""
    return (
        Message.objects.filter(author=author, deleted_at__isnull=True)
        .select_related("conversation")
        .order_by("created_at", "id")
    )


def message_figures_per_organisation(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the benchmark: per organisation, the messages written in
    ``[starts, ends)`` in residents' conversations with their workers
    (``count``) and the distinct residents of those conversations. One
    grouped query."""
    return [
        dict(row)
        for row in (
            Message.objects.filter(
                created_at__gte=starts,
                created_at__lt=ends,
                deleted_at__isnull=True,
                conversation__kind=Conversation.Kind.DIRECT,
            )
            .order_by()
            .values(organisation_id=F("conversation__organisation_id"))
            .annotate(count=Count("pk"), residents=Count("conversation__resident_id", distinct=True))
            .order_by("organisation_id")
        )
    ]


def consultation_figures_per_organisation(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the benchmark: per organisation, the consultation-hour visits
    that started in ``[starts, ends)`` (``count``, distinct ``visitors``)
    and of those picked up, how many (``picked_up``, distinct
    ``picked_up_visitors``). One grouped query."""
    return [
        dict(row)
        for row in (
            ConsultationVisit.objects.filter(created_at__gte=starts, created_at__lt=ends)
            .order_by()
            .values("organisation_id")
            .annotate(
                count=Count("pk"),
                visitors=Count("visitor_id", distinct=True),
                picked_up=Count("pk", filter=Q(picked_up_at__isnull=False)),
                picked_up_visitors=Count("visitor_id", distinct=True, filter=Q(picked_up_at__isnull=False)),
            )
            .order_by("organisation_id")
        )
    ]


def consultation_chats_closed_between(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the experience survey (``feedback``): consultation-hour chats of a
    signed-in resident (not anonymous) that a worker picked up and that were
    closed in ``[starts, ends)``. Rows of ``public_id``, ``visitor_id``,
    ``organisation_id`` and ``closed_at``; one query."""
    return [
        dict(row)
        for row in ConsultationVisit.objects.filter(
            is_anonymous=False,
            status=ConsultationVisit.Status.CLOSED,
            picked_up_at__isnull=False,
            closed_at__gte=starts,
            closed_at__lt=ends,
        )
        .order_by("closed_at", "pk")
        .values("public_id", "visitor_id", "organisation_id", "closed_at")
    ]


class _MinutesBetween(Func):
    """Minutes from the first moment to the second, in the database's own
    arithmetic (SQLite's julianday, PostgreSQL's epoch): on SQLite Django
    would subtract moments through a Python function called per row."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        start, end = self.get_source_expressions()
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        if connection.vendor == "sqlite":
            sql = f"((julianday({end_sql}) - julianday({start_sql})) * 1440.0)"
        else:
            sql = f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 60.0)"
        return sql, (*start_params, *end_params)


def consultation_wait_percentile(*, starts: datetime, ends: datetime, fraction: float) -> dict[int, float]:
    """Per organisation, the wait in minutes of the visits of ``[starts,
    ends)`` that were picked up, at ``fraction`` (0.5 for the median), by
    nearest rank: the wait at position ceil(fraction x n) in order. The
    database ranks the waits (window functions) and returns one row per
    organisation."""
    wait = _MinutesBetween(F("created_at"), F("picked_up_at"))
    ranked = (
        ConsultationVisit.objects.filter(created_at__gte=starts, created_at__lt=ends, picked_up_at__isnull=False)
        .order_by()
        .annotate(
            wait=wait,
            position=Window(
                RowNumber(), partition_by=[F("organisation_id")], order_by=[F("wait").asc(), F("pk").asc()]
            ),
            size=Window(Count("pk"), partition_by=[F("organisation_id")]),
        )
        .filter(position__gte=F("size") * fraction, position__lt=F("size") * fraction + 1)
        .values_list("organisation_id", "wait")
    )
    return dict(ranked)
