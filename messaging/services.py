"""Writes for messaging. A message is stored (with its sequence number)
before anyone is told about it; the real-time event goes out after commit.

Rules kept here:
- only active members write; a resident's direct conversation is open to
  the resident and the workers who have them on their caseload (access
  follows the caseload, also after a handover);
- chat with a resident needs the resident's consent for chat (blend plan),
  for opening the conversation and for every message after;
- a resend with the same client key returns the stored message: never twice;
- edits within 5 minutes by the author; a deletion leaves "message deleted".
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, CLIENT_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.uploads import CheckedUpload, UploadRefused, upload_check
from messaging.events import conversation_event_send, conversation_sockets_recheck
from messaging.models import Conversation, Membership, Message, MessageReport
from messaging.selectors import warnings_for
from samenspraak import ratelimit
from samenspraak.attention import attention_changed
from samenspraak.forms import has_hidden_characters

Action = AccessLogEntry.Action

MAX_BODY_CHARACTERS = 4000
EDIT_WINDOW = timedelta(minutes=5)
CLIENT_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class MessagingError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


class MessageRateLimited(MessagingError):
    """Too many messages in a short time; the client may try again later."""


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool


def display_name_for(user: User, conversation: Conversation) -> str:
    """Residents in a group show only the first name they chose; staff show
    their full name (the resident must know which person answers)."""
    if user.role in CLIENT_ROLES and conversation.kind == Conversation.Kind.GROUP:
        return user.preferred_name or user.first_name or _("Deelnemer")
    if user.role == Role.TRUSTED_PERSON and conversation.resident is not None:
        # Everyone reads who wrote: the trusted person, for the resident.
        return _("%(name)s, namens %(resident)s") % {
            "name": user.full_name or user.username,
            "resident": conversation.resident.preferred_name or conversation.resident.first_name,
        }
    return user.full_name or user.username


def message_payload(message: Message) -> dict[str, Any]:
    """What a client is told about a message (also used by the pages)."""
    visible = message.is_visible
    return {
        "id": str(message.public_id),
        "sequence": message.sequence,
        "author": str(message.author.public_id) if message.author_id else "",
        "author_name": message.author_name,
        "body": message.body if visible else "",
        "status": "visible" if visible else ("hidden" if message.hidden_at else "deleted"),
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "has_attachment": bool(message.attachment) and visible,
        # Why the other members see a safety warning (links, codes, bank details).
        "warnings": warnings_for(message.body) if visible else [],
    }


def _log_staff(user: User, conversation: Conversation, object_id: str, action: str) -> None:
    """Staff, and a trusted person writing for a resident, reading or writing
    messages with a resident is in the access log."""
    if user.role in CLIENT_ROLES and user.role != Role.TRUSTED_PERSON:
        return
    residents: list[User] = []
    if conversation.resident_id is not None:
        residents = [conversation.resident]  # type: ignore[list-item]
    else:
        residents = list(
            User.objects.filter(
                memberships__conversation=conversation, memberships__left_at__isnull=True, role=Role.RESIDENT
            )
        )
    access_log_record(actor=user, accesses=[Access(r, "message", object_id, action) for r in residents])


def _within_rate(user_id: int) -> bool:
    """At most MESSAGE_RATE_LIMIT new messages per 10 seconds per person
    (or anonymous visitor), whichever way they are sent, counted in the
    store all worker processes share."""
    return ratelimit.hit(f"message-rate:{user_id}", limit=settings.MESSAGE_RATE_LIMIT, window_seconds=10)


def membership_ensure(*, conversation: Conversation, user: User) -> Membership:
    """The user's active membership; a worker who may see a resident's direct
    conversation (caseload, team lead) joins it when they first open it."""
    membership = Membership.objects.active().filter(conversation=conversation, user=user).first()
    if membership is not None:
        return membership
    try:
        with transaction.atomic():
            return Membership.objects.create(
                conversation=conversation,
                user=user,
                display_name=display_name_for(user, conversation),
                last_read_sequence=0,
            )
    except IntegrityError:
        return Membership.objects.active().get(conversation=conversation, user=user)


def _chat_off_message() -> str:
    return _("Chat staat uit. De inwoner kan chat aanzetten bij 'Zo werken we samen', of u spreekt iets anders af.")


@transaction.atomic
def conversation_direct_open(*, resident: User, opened_by: User) -> Conversation:
    """The resident's conversation with their workers (one per resident)."""
    from blend.selectors import resident_consents_to

    if resident.role != Role.RESIDENT:
        raise MessagingError(_("Een gesprek is altijd met een inwoner."))
    if opened_by.pk != resident.pk and opened_by.role not in CASEWORK_ROLES:
        raise MessagingError(_("Alleen de inwoner of een sociaal werker kan dit gesprek openen."))
    if not resident_consents_to(resident=resident, channel="chat"):
        raise MessagingError(_chat_off_message())
    assert resident.organisation_id is not None
    conversation, created = Conversation.objects.get_or_create(
        kind=Conversation.Kind.DIRECT,
        resident=resident,
        defaults={"organisation_id": resident.organisation_id, "created_by": opened_by},
    )
    membership_ensure(conversation=conversation, user=resident)
    membership_ensure(conversation=conversation, user=opened_by)
    if created:
        from casefiles.timeline import timeline_event_add

        timeline_event_add(
            resident=resident,
            kind="messaging.conversation_opened",
            summary=_("Chatgesprek gestart"),
            actor=opened_by,
            is_shared=True,
            object_type="conversation",
            object_public_id=conversation.public_id,
        )
    return conversation


def _validate_body(body: str, *, allow_empty: bool = False) -> str:
    body = body.strip()
    if not body and not allow_empty:
        raise MessagingError(_("Uw bericht is leeg. Typ eerst iets."))
    if len(body) > MAX_BODY_CHARACTERS:
        raise MessagingError(
            _("Uw bericht is te lang. Gebruik maximaal %(n)s tekens, of stuur twee berichten.")
            % {"n": MAX_BODY_CHARACTERS}
        )
    if has_hidden_characters(body, multiline=True):
        raise MessagingError(_("Uw bericht bevat een teken dat niet kan. Typ het opnieuw."))
    return body


def message_send(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    client_key: str,
    upload: UploadedFile | None = None,
) -> SendResult:
    """Store a message and tell the members after commit.

    The conversation row is locked while the next sequence number is taken,
    so sequences are gap-free and strictly ordered. A resend with the same
    ``client_key`` returns the message stored the first time (and does not
    count towards the rate limit). An attachment is checked like a case-file
    document (by content, size-limited) and removed again if the message is
    not stored. Raises ``MessageRateLimited`` for a flood.
    """
    if not CLIENT_KEY.match(client_key or ""):
        raise MessagingError(_("Er ging iets mis met het versturen. Laad de pagina opnieuw."))
    existing = (
        Message.objects.select_related("author")
        .filter(conversation=conversation, author=author, client_key=client_key)
        .first()
    )
    if existing is not None:
        return SendResult(existing, created=False)
    if not _within_rate(author.pk):
        raise MessageRateLimited(_("U stuurt veel berichten snel achter elkaar. Wacht even."))
    if conversation.kind == Conversation.Kind.DIRECT and conversation.resident is not None:
        from blend.selectors import resident_consents_to

        # Consent holds for every message, not only for opening the
        # conversation: after the resident switches chat off, nobody writes.
        if not resident_consents_to(resident=conversation.resident, channel="chat"):
            raise MessagingError(_chat_off_message())
    if upload is not None and conversation.kind == Conversation.Kind.CONSULTATION:
        # The visitor's page shows no attachments, and a visitor has no file to keep them in.
        raise MessagingError(_("In het chatspreekuur kunt u geen bijlage sturen. Typ uw bericht."))
    body = _validate_body(body, allow_empty=upload is not None)
    checked = None
    if upload is not None:
        try:
            checked = upload_check(upload)
        except UploadRefused as refused:
            raise MessagingError(str(refused)) from refused
    try:
        stored_names: list[str] = []
        return _message_store(conversation, author, body, client_key, checked, stored_names)
    except Exception:
        for name in stored_names:
            Message.attachment.field.storage.delete(name)
        raise


def _message_store(
    conversation: Conversation,
    author: User,
    body: str,
    client_key: str,
    checked: CheckedUpload | None,
    stored_names: list[str],
) -> SendResult:
    with transaction.atomic():
        membership = Membership.objects.active().filter(conversation=conversation, user=author).first()
        if membership is None:
            raise MessagingError(_("U bent geen deelnemer van dit gesprek."))
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        existing = Message.objects.filter(conversation=locked, author=author, client_key=client_key).first()
        if existing is not None:  # the same resend raced us to the lock
            return SendResult(existing, created=False)
        if locked.kind == Conversation.Kind.CONSULTATION:
            _consultation_send_check(locked, author)
        now = timezone.now()
        sequence = locked.last_sequence + 1
        Conversation.objects.filter(pk=locked.pk).update(last_sequence=sequence, last_message_at=now)
        message = Message(
            conversation=locked,
            sequence=sequence,
            author=author,
            author_name=membership.display_name,
            body=body,
            client_key=client_key,
        )
        if checked is not None:
            message.attachment.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False)
            stored_names.append(message.attachment.name or "")
            message.attachment_type = checked.content_type
            message.attachment_size = len(checked.content)
        message.save()
        Membership.objects.filter(pk=membership.pk).update(last_read_sequence=sequence)
        _log_staff(author, locked, str(message.public_id), Action.CREATE)
        if locked.resident_id == author.pk:
            from blend.services import blend_channel_used

            blend_channel_used(resident=author, channel="chat")
        if locked.kind == Conversation.Kind.DIRECT and locked.resident is not None:
            _timeline_activity(locked, now)
        payload = message_payload(message)
        transaction.on_commit(
            lambda: conversation_event_send(locked.public_id, {"type": "message", "message": payload})
        )
        transaction.on_commit(lambda: _schedule_notifications(locked.pk))
        attention_changed(_recipients(locked, author))
    return SendResult(message, created=True)


def _consultation_send_check(conversation: Conversation, author: User) -> None:
    """Nobody writes in a closed consultation chat (the visitor still reads
    it). A waiting visitor's first question shows in the workers' queue."""
    from messaging.duty import queue_changed
    from messaging.models import ConsultationVisit

    visit = ConsultationVisit.objects.filter(conversation=conversation).values("status", "visitor_id").first()
    if visit is None:
        return
    if visit["status"] == ConsultationVisit.Status.CLOSED:
        raise MessagingError(_("De medewerker heeft het gesprek gesloten. U kunt hier niets meer sturen."))
    is_first_question = not Message.objects.filter(conversation=conversation, author_id=author.pk).exists()
    if visit["status"] == ConsultationVisit.Status.WAITING and author.pk == visit["visitor_id"] and is_first_question:
        queue_changed(organisation_id=conversation.organisation_id)


def _recipients(conversation: Conversation, author: User) -> list[uuid.UUID]:
    """Who may now have an unread conversation: the other active members and,
    for a resident's direct conversation, the workers on their caseload who
    have not opened it yet (public ids, for ``attention_changed``)."""
    members = User.objects.filter(memberships__conversation=conversation, memberships__left_at__isnull=True)
    if conversation.kind == Conversation.Kind.DIRECT and conversation.resident_id is not None:
        members = members | User.objects.filter(caseload_assignments__resident_id=conversation.resident_id)
    return list(members.exclude(pk=author.pk).values_list("public_id", flat=True).distinct())


def _timeline_activity(conversation: Conversation, now: Any) -> None:
    """One line a day in the resident's timeline that there was chat
    contact; never what was said."""
    from casefiles.timeline import timeline_event_add, timeline_event_exists_since

    assert conversation.resident is not None
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if timeline_event_exists_since(resident=conversation.resident, kind="messaging.activity", since=day_start):
        return
    timeline_event_add(
        resident=conversation.resident,
        kind="messaging.activity",
        summary=_("Contact via chat"),
        actor=None,
        is_shared=True,
        object_type="conversation",
        object_public_id=conversation.public_id,
    )


def _schedule_notifications(conversation_id: int) -> None:
    from messaging.tasks import message_notifications_send

    message_notifications_send.enqueue(conversation_id=conversation_id)


def _own_message(message: Message, user: User) -> Message:
    locked = Message.objects.select_for_update().select_related("conversation", "author").get(pk=message.pk)
    if locked.author_id != user.pk:
        raise MessagingError(_("U kunt alleen uw eigen berichten wijzigen."))
    if locked.deleted_at is not None or locked.hidden_at is not None:
        raise MessagingError(_("Dit bericht is verwijderd."))
    return locked


@transaction.atomic
def message_edit(*, message: Message, editor: User, body: str) -> Message:
    locked = _own_message(message, editor)
    if timezone.now() - locked.created_at > EDIT_WINDOW:
        raise MessagingError(_("U kunt een bericht alleen in de eerste 5 minuten wijzigen."))
    locked.body = _validate_body(body)
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    _log_staff(editor, locked.conversation, str(locked.public_id), Action.CHANGE)
    payload = message_payload(locked)
    conversation_id = locked.conversation.public_id
    transaction.on_commit(lambda: conversation_event_send(conversation_id, {"type": "update", "message": payload}))
    return locked


@transaction.atomic
def message_delete(*, message: Message, deleted_by: User) -> Message:
    locked = _own_message(message, deleted_by)
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["deleted_at"])
    _log_staff(deleted_by, locked.conversation, str(locked.public_id), Action.DELETE)
    payload = message_payload(locked)
    conversation_id = locked.conversation.public_id
    transaction.on_commit(lambda: conversation_event_send(conversation_id, {"type": "update", "message": payload}))
    return locked


def read_mark(*, conversation: Conversation, user: User, sequence: int) -> int:
    """Mark messages up to ``sequence`` as read (never beyond the last real
    message, never backwards). Returns the stored value."""
    last = Conversation.objects.filter(pk=conversation.pk).values_list("last_sequence", flat=True).first() or 0
    sequence = max(0, min(int(sequence), last))
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().active().filter(conversation=conversation, user=user).first()
        )
        if membership is None:
            return 0
        if sequence > membership.last_read_sequence:
            membership.last_read_sequence = sequence
            membership.save(update_fields=["last_read_sequence"])
            public_id, name, reader = conversation.public_id, membership.display_name, str(user.public_id)
            transaction.on_commit(
                lambda: conversation_event_send(
                    public_id, {"type": "read", "reader": name, "reader_id": reader, "sequence": sequence}
                )
            )
            attention_changed([user])
        return membership.last_read_sequence


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason: str) -> MessageReport:
    if not Membership.objects.active().filter(conversation=message.conversation, user=reporter).exists():
        raise MessagingError(_("U bent geen deelnemer van dit gesprek."))
    return MessageReport.objects.create(message=message, reporter=reporter, reason=reason[:500])


@transaction.atomic
def message_hide(*, message: Message, moderator: User) -> Message:
    """A worker hides a message in a group ("hidden by the moderator")."""
    if moderator.role not in CASEWORK_ROLES:
        raise MessagingError(_("Alleen een sociaal werker kan berichten verbergen."))
    locked = Message.objects.select_for_update().select_related("conversation", "author").get(pk=message.pk)
    if locked.conversation.kind != Conversation.Kind.GROUP:
        raise MessagingError(_("Alleen in een groepsgesprek kunnen berichten worden verborgen."))
    locked.hidden_at = timezone.now()
    locked.hidden_by = moderator
    locked.save(update_fields=["hidden_at", "hidden_by"])
    MessageReport.objects.filter(message=locked, handled_at__isnull=True).update(handled_at=timezone.now())
    _log_staff(moderator, locked.conversation, str(locked.public_id), Action.CHANGE)
    payload = message_payload(locked)
    conversation_id = locked.conversation.public_id
    transaction.on_commit(lambda: conversation_event_send(conversation_id, {"type": "update", "message": payload}))
    return locked


# --- Group conversations -----------------------------------------------------------


def _group_member_check(resident: User, added_by: User) -> None:
    from blend.selectors import resident_consents_to
    from samenspraak.policy import residents_for_casework

    if resident.role != Role.RESIDENT or not residents_for_casework(added_by).filter(pk=resident.pk).exists():
        raise MessagingError(_("U kunt alleen inwoners toevoegen die u begeleidt."))
    if not resident_consents_to(resident=resident, channel="chat"):
        raise MessagingError(
            _("%(name)s heeft chat niet aangezet. Vraag eerst of die persoon mee wil doen.")
            % {"name": resident.first_name}
        )


@transaction.atomic
def conversation_group_create(*, title: str, created_by: User, residents: list[User]) -> Conversation:
    """A worker starts a group (for example for a training) and moderates it."""
    if created_by.role not in CASEWORK_ROLES:
        raise MessagingError(_("Alleen een sociaal werker kan een groep maken."))
    title = title.strip()
    if not title:
        raise MessagingError(_("Geef de groep een naam."))
    for resident in residents:
        _group_member_check(resident, created_by)
    assert created_by.organisation_id is not None
    conversation = Conversation.objects.create(
        organisation_id=created_by.organisation_id, kind=Conversation.Kind.GROUP, title=title, created_by=created_by
    )
    Membership.objects.create(
        conversation=conversation,
        user=created_by,
        display_name=display_name_for(created_by, conversation),
        is_moderator=True,
    )
    for resident in residents:
        Membership.objects.create(
            conversation=conversation, user=resident, display_name=display_name_for(resident, conversation)
        )
    _log_staff(created_by, conversation, str(conversation.public_id), Action.CREATE)
    return conversation


@transaction.atomic
def group_member_add(*, conversation: Conversation, resident: User, added_by: User) -> Membership:
    if (
        conversation.kind != Conversation.Kind.GROUP
        or not Membership.objects.active().filter(conversation=conversation, user=added_by, is_moderator=True).exists()
    ):
        raise MessagingError(_("Alleen de begeleider van de groep kan deelnemers toevoegen."))
    _group_member_check(resident, added_by)
    if Membership.objects.active().filter(conversation=conversation, user=resident).exists():
        raise MessagingError(_("Deze persoon doet al mee."))
    membership = Membership.objects.create(
        conversation=conversation, user=resident, display_name=display_name_for(resident, conversation)
    )
    access_log_record(
        actor=added_by, accesses=[Access(resident, "conversation", str(conversation.public_id), Action.CHANGE)]
    )
    return membership


@transaction.atomic
def group_member_remove(*, conversation: Conversation, member: User, removed_by: User) -> None:
    """A resident leaves, or the group's worker removes someone."""
    is_self = member.pk == removed_by.pk
    is_moderator = (
        Membership.objects.active().filter(conversation=conversation, user=removed_by, is_moderator=True).exists()
    )
    if conversation.kind != Conversation.Kind.GROUP or not (is_self or is_moderator):
        raise MessagingError(_("U kunt deze deelnemer niet verwijderen."))
    updated = Membership.objects.active().filter(conversation=conversation, user=member).update(left_at=timezone.now())
    if not updated:
        raise MessagingError(_("Deze persoon doet niet (meer) mee."))
    conversation_sockets_recheck(conversation.public_id)
    if member.role == Role.RESIDENT:
        access_log_record(
            actor=removed_by, accesses=[Access(member, "conversation", str(conversation.public_id), Action.CHANGE)]
        )


def memberships_follow_caseload(*, resident: User, **_: Any) -> None:
    """Hook (CASELOAD_CHANGED): end the direct-conversation memberships of
    staff who may no longer see the resident."""
    direct_memberships_sync(resident=resident)


def memberships_follow_grant(*, grant: Any, **_: Any) -> None:
    """Hook (GRANT_REVOKED): a trusted person whose grant ended leaves the
    resident's conversation (their open sockets close by the socket hook)."""
    direct_memberships_sync(resident=grant.resident)


def sockets_follow_consent(*, record: Any, **_: Any) -> None:
    """Hook (CONSENT_WITHDRAWN): when a resident withdraws chat, the open
    sockets of their conversation check again after commit and close (the
    consumer holds a direct conversation open only with chat consent)."""
    if record.kind != "blend.chat" or record.subject_id is None:
        return
    for public_id in Conversation.objects.filter(
        kind=Conversation.Kind.DIRECT, resident_id=record.subject_id
    ).values_list("public_id", flat=True):
        conversation_sockets_recheck(public_id)


def memberships_follow_name(*, resident: User) -> None:
    """Hook (RESIDENT_NAME_CHANGED): the resident's group memberships show the
    name they chose, at once."""
    Membership.objects.active().filter(user=resident, conversation__kind=Conversation.Kind.GROUP).update(
        display_name=resident.preferred_name or resident.first_name
    )


def direct_memberships_sync(*, resident: User) -> int:
    """End the memberships of staff who may no longer see the resident's
    conversation (after a handover or unassignment), and of trusted persons
    whose grant no longer holds "messages", so they are no longer listed as
    readers or told about new messages. Returns how many ended."""
    from samenspraak.policy import active_grant, residents_for_casework

    ended = 0
    memberships = (
        Membership.objects.active()
        .filter(conversation__kind=Conversation.Kind.DIRECT, conversation__resident=resident)
        .exclude(user=resident)
        .select_related("user", "conversation")
    )
    for membership in memberships:
        if membership.user.role == Role.TRUSTED_PERSON:
            grant = active_grant(trusted_person=membership.user, resident=resident)
            still = grant is not None and "messages" in grant.scopes
        else:
            still = residents_for_casework(membership.user).filter(pk=resident.pk).exists()
        if not still:
            Membership.objects.filter(pk=membership.pk).update(left_at=timezone.now())
            conversation_sockets_recheck(membership.conversation.public_id)
            ended += 1
    return ended
