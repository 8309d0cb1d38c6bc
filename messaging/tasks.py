"""Notifications about new messages: never the text, never the sender."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging.models import Conversation, Membership
from samenspraak.notify import notify

QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(8, 0)


def is_quiet_hour() -> bool:
    now = timezone.localtime().time()
    return now >= QUIET_FROM or now < QUIET_UNTIL


def pending_memberships(*, conversation_id: int | None = None) -> list[Membership]:
    """Members with unread messages about which they were not told yet.
    A burst of messages gives one notification: after one mail, the next
    comes only after the member has read. Members without e-mail count too:
    a push may reach them."""
    memberships = (
        Membership.objects.active()
        .filter(
            last_read_sequence__lt=F("conversation__last_sequence"),
            notified_sequence__lte=F("last_read_sequence"),
            user__is_active=True,
        )
        .select_related("user", "conversation")
    )
    if conversation_id is not None:
        memberships = memberships.filter(conversation_id=conversation_id)
    return list(memberships)


def _may_still_read(membership: Membership) -> bool:
    """A resident's direct conversation follows the caseload: a worker who
    handed the resident over keeps a membership row but is no longer told."""
    from accounts.models import CLIENT_ROLES
    from samenspraak.policy import residents_for_casework

    resident_id = membership.conversation.resident_id
    if resident_id is None or membership.user.role in CLIENT_ROLES:
        return True
    return residents_for_casework(membership.user).filter(pk=resident_id).exists()


def _wants_email(membership: Membership) -> bool:
    from blend.selectors import resident_has_no_email

    return not resident_has_no_email(resident=membership.user)


@task
def message_notifications_send(*, conversation_id: int | None = None) -> int:
    """Mail members about unread messages; in quiet hours nothing is sent
    (``manage.py send_message_notifications`` catches up later)."""
    if is_quiet_hour():
        return 0
    sent = 0
    for membership in pending_memberships(conversation_id=conversation_id):
        if not _may_still_read(membership):
            continue
        # The blend plan's "no e-mail" holds for e-mail only; push and SMS may still tell.
        skip = () if _wants_email(membership) else ("email",)
        with transaction.atomic():
            claimed = Membership.objects.filter(
                pk=membership.pk, notified_sequence=membership.notified_sequence
            ).update(notified_sequence=Conversation.objects.get(pk=membership.conversation_id).last_sequence)
        if not claimed:
            continue  # another worker sent it
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("U hebt een nieuw bericht in Samenspraak")
        sent += int(
            bool(
                notify(
                    user=membership.user,
                    subject=subject,
                    template="messaging/email/new_message.txt",
                    event="messages",
                    skip_channels=skip,
                )
            )
        )
    return sent
