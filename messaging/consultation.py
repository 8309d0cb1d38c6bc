"""The chat consultation hour (chatspreekuur): weekly windows, workers on
duty, a queue of visitors (residents or people who are not yet clients) and
a human who picks each visitor up. Nothing here answers by itself.

Anonymous visitors have no account: a visitor record (role "visitor", no
password, cannot sign in) holds their chosen first name, and a signed cookie
ties the browser to the visit. Their conversation is deleted after the
organisation's retention period unless they agreed to become a client: the
retention engine's class ``consultation_chats`` (``messaging/retention.py``,
run by ``purge_retention``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Avg, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from consents.services import consent_give, consent_withdraw
from messaging.duty import is_on_duty as is_on_duty  # re-exported for pages
from messaging.duty import queue_changed, window_now, workers_on_duty
from messaging.events import conversation_event_send, conversation_sockets_recheck
from messaging.models import ConsultationHour, ConsultationVisit, Conversation, Membership, Message
from messaging.services import MessagingError, membership_ensure
from organisations.models import Organisation

VISIT_COOKIE = "spreekuur"
VISIT_SALT = "samenspraak.consultation-visit"
DEFAULT_MINUTES_PER_VISITOR = 10

# The consent register's kind (``consents.models.ConsentRecord.Kind.TRANSCRIPT``).
TRANSCRIPT_CONSENT = "consultation.transcript"


def next_window_start(*, organisation: Organisation, now: datetime | None = None) -> datetime | None:
    """When the consultation hour opens next (Europe/Amsterdam)."""
    local = timezone.localtime(now or timezone.now())
    hours = list(ConsultationHour.objects.filter(organisation=organisation))
    for day in range(8):
        date = local.date() + timedelta(days=day)
        starts = sorted(h.starts_at for h in hours if h.weekday == date.weekday())
        for start in starts:
            candidate = timezone.make_aware(datetime.combine(date, start))
            if candidate > local:
                return candidate
    return None


def visit_token(visit: ConsultationVisit) -> str:
    return signing.dumps(str(visit.public_id), salt=VISIT_SALT)


def visit_from_token(token: str, *, include_closed: bool = False) -> ConsultationVisit | None:
    """The visit of a visitor's cookie. A closed visit only when asked: the
    visitor may keep reading (and saving) the conversation after it closed,
    as long as the cookie lasts and the transcript is not purged, but
    nothing else works with it (sending, the socket)."""
    try:
        public_id = signing.loads(token, salt=VISIT_SALT, max_age=12 * 3600)
    except signing.BadSignature:
        return None
    visits = ConsultationVisit.objects.select_related("visitor", "conversation", "organisation", "picked_up_by")
    if not include_closed:
        visits = visits.exclude(status=ConsultationVisit.Status.CLOSED)
    return visits.filter(public_id=public_id).first()


@dataclass(frozen=True)
class QueuePlace:
    position: int
    minutes: int

    @property
    def ahead(self) -> int:
        """How many people wait before this visitor (not counting them)."""
        return self.position - 1


def queue_place(visit: ConsultationVisit) -> QueuePlace:
    """Place in line and an honest estimate: the average length of recent
    conversations, divided over the workers on duty."""
    earlier = Q(created_at__lt=visit.created_at) | Q(created_at=visit.created_at, pk__lt=visit.pk)
    position = (
        ConsultationVisit.objects.filter(
            earlier, organisation=visit.organisation_id, status=ConsultationVisit.Status.WAITING
        ).count()
        + 1
    )
    recent = ConsultationVisit.objects.filter(
        organisation=visit.organisation_id, status=ConsultationVisit.Status.CLOSED, picked_up_at__isnull=False
    ).order_by("-closed_at")[:20]
    average = recent.aggregate(length=Avg(F("closed_at") - F("picked_up_at")))["length"]
    minutes_each = max(1, round(average.total_seconds() / 60)) if average else DEFAULT_MINUTES_PER_VISITOR
    on_duty = max(1, len(workers_on_duty(organisation=visit.organisation)))
    return QueuePlace(position=position, minutes=max(1, round(position * minutes_each / on_duty)))


@transaction.atomic
def visit_start(*, organisation: Organisation, name: str, resident: User | None = None) -> ConsultationVisit:
    """Join the queue. A signed-in resident comes as themselves; anyone else
    as a visitor with (only) the first name they chose."""
    if window_now(organisation=organisation) is None:
        raise MessagingError(_("Het chatspreekuur is nu gesloten."))
    if resident is not None and resident.organisation_id != organisation.pk:
        resident = None
    if resident is not None:
        visitor, display = resident, resident.first_name
    else:
        display = name.strip()[:60] or _("Bezoeker")
        visitor = User(
            username=f"visitor-{secrets.token_hex(12)}",
            first_name=display,
            role=Role.VISITOR,
            organisation=organisation,
            is_active=False,
        )
        visitor.set_unusable_password()
        visitor.save()
    conversation = Conversation.objects.create(
        organisation=organisation, kind=Conversation.Kind.CONSULTATION, created_by=visitor, title=_("Chatspreekuur")
    )
    Membership.objects.create(conversation=conversation, user=visitor, display_name=display)
    visit = ConsultationVisit.objects.create(
        organisation=organisation, visitor=visitor, is_anonymous=resident is None, conversation=conversation
    )
    queue_changed(organisation_id=organisation.pk)
    return visit


@transaction.atomic
def visit_pick_up(*, visit: ConsultationVisit, worker: User) -> ConsultationVisit:
    """An on-duty worker takes the next visitor; one worker per visitor."""
    locked = ConsultationVisit.objects.select_for_update(of=("self",)).select_related("conversation").get(pk=visit.pk)
    if worker.role not in CASEWORK_ROLES or worker.organisation_id != locked.organisation_id:
        raise MessagingError(_("Alleen een sociaal werker van deze organisatie kan dit gesprek aannemen."))
    if worker not in workers_on_duty(organisation=locked.organisation):
        raise MessagingError(_("U hebt nu geen dienst bij het chatspreekuur."))
    if locked.status != ConsultationVisit.Status.WAITING:
        raise MessagingError(_("Een collega heeft deze bezoeker al aangenomen."))
    locked.status = ConsultationVisit.Status.ACTIVE
    locked.picked_up_at = timezone.now()
    locked.picked_up_by = worker
    locked.save(update_fields=["status", "picked_up_at", "picked_up_by"])
    assert locked.conversation is not None
    membership_ensure(conversation=locked.conversation, user=worker)
    public_id, name = locked.conversation.public_id, worker.full_name
    transaction.on_commit(lambda: conversation_event_send(public_id, {"type": "picked_up", "worker": name}))
    queue_changed(organisation_id=locked.organisation_id)
    return locked


@transaction.atomic
def visit_consent_to_follow_up(*, visit: ConsultationVisit) -> ConsultationVisit:
    """The visitor agrees that the worker invites them and keeps the text;
    the consent register keeps the text version, under the visit's key
    (the visitor has no account of their own)."""
    locked = ConsultationVisit.objects.select_for_update().get(pk=visit.pk)
    if not locked.consented_to_follow_up:
        ConsultationVisit.objects.filter(pk=visit.pk).update(consented_to_follow_up=True)
        key = str(locked.public_id)
        consent_give(subject=None, visitor_key=key, kind=TRANSCRIPT_CONSENT, scope=key, given_by=locked.visitor)
    visit.consented_to_follow_up = True
    return visit


@transaction.atomic
def visit_consent_withdraw(*, visit: ConsultationVisit) -> ConsultationVisit:
    """The visitor takes their consent back, as easily as they gave it: the
    worker can no longer invite them or keep the text (once the text is in
    a case file, the resident's own privacy rights apply there)."""
    locked = ConsultationVisit.objects.select_for_update().get(pk=visit.pk)
    if locked.consented_to_follow_up:
        ConsultationVisit.objects.filter(pk=visit.pk).update(consented_to_follow_up=False)
        key = str(locked.public_id)
        consent_withdraw(subject=None, visitor_key=key, kind=TRANSCRIPT_CONSENT, scope=key, withdrawn_by=locked.visitor)
    visit.consented_to_follow_up = False
    return visit


@transaction.atomic
def visit_close(*, visit: ConsultationVisit, closed_by: User) -> ConsultationVisit:
    locked = ConsultationVisit.objects.select_for_update().get(pk=visit.pk)
    if closed_by.pk not in {locked.visitor_id, locked.picked_up_by_id} and closed_by.role not in CASEWORK_ROLES:
        raise MessagingError(_("U kunt dit gesprek niet afsluiten."))
    if locked.status == ConsultationVisit.Status.CLOSED:
        return locked
    if locked.status == ConsultationVisit.Status.WAITING:
        queue_changed(organisation_id=locked.organisation_id)
    locked.status = ConsultationVisit.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    if locked.conversation_id:
        conversation_id = locked.conversation.public_id  # type: ignore[union-attr]
        transaction.on_commit(lambda: conversation_event_send(conversation_id, {"type": "closed"}))
        # The visitor's socket closes now, not at its next frame.
        conversation_sockets_recheck(conversation_id)
    return locked


def transcript_messages(visit: ConsultationVisit) -> list[Message]:
    """The visible messages of the visit, oldest first."""
    if visit.conversation is None:
        return []
    return list(
        visit.conversation.messages.filter(deleted_at__isnull=True, hidden_at__isnull=True).order_by("sequence")
    )


def transcript_text(visit: ConsultationVisit) -> str:
    lines = []
    for message in transcript_messages(visit):
        lines.append(f"{timezone.localtime(message.created_at):%d-%m-%Y %H:%M} {message.author_name}: {message.body}")
    return "\n".join(lines)


def first_questions(visits: list[ConsultationVisit]) -> dict[int, str]:
    """The first message each visitor wrote (their question), by visit id,
    in one query: the queue shows it so a worker knows what is coming."""
    conversation_ids = [visit.conversation_id for visit in visits if visit.conversation_id]
    visitor_of = {visit.conversation_id: visit.visitor_id for visit in visits}
    visit_of = {visit.conversation_id: visit.pk for visit in visits}
    questions: dict[int, str] = {}
    rows = (
        Message.objects.filter(conversation_id__in=conversation_ids, deleted_at__isnull=True)
        .order_by("conversation_id", "sequence")
        .values_list("conversation_id", "author_id", "body")
    )
    for conversation_id, author_id, body in rows:
        visit_id = visit_of[conversation_id]
        if visit_id not in questions and author_id == visitor_of[conversation_id] and body:
            questions[visit_id] = body
    return questions


@transaction.atomic
def visit_follow_up(
    *, visit: ConsultationVisit, worker: User, first_name: str, last_name: str, email: str, channel: str
) -> User:
    """With the visitor's consent: invite them as a resident (on this
    worker's caseload), open a case and keep the transcript in it as an
    internal note."""
    from accounts.services import resident_invite
    from casefiles.services import case_open, note_add

    if not visit.consented_to_follow_up:
        raise MessagingError(_("De bezoeker heeft hier (nog) geen toestemming voor gegeven."))
    if visit.picked_up_by_id != worker.pk:
        raise MessagingError(_("Alleen de sociaal werker van dit gesprek kan de bezoeker uitnodigen."))
    if not visit.is_anonymous:
        raise MessagingError(_("Deze bezoeker is al inwoner."))
    issued = resident_invite(
        invited_by=worker, first_name=first_name, last_name=last_name, email=email, phone="", channel=channel
    )
    resident = issued.invitation.user
    case = case_open(resident=resident, opened_by=worker)
    note_add(
        case=case,
        body=_("Verslag van het chatspreekuur:") + "\n" + transcript_text(visit),
        is_shared=False,
        author=worker,
    )
    ConsultationVisit.objects.filter(pk=visit.pk).update(is_anonymous=False)
    return resident


@transaction.atomic
def hour_add(
    *, organisation_id: int, weekday: int, starts_at: time, ends_at: time, on_duty: list[User]
) -> ConsultationHour:
    hour = ConsultationHour.objects.create(
        organisation_id=organisation_id, weekday=weekday, starts_at=starts_at, ends_at=ends_at
    )
    hour.on_duty.set([worker for worker in on_duty if worker.organisation_id == organisation_id])
    return hour


@transaction.atomic
def hour_delete(*, organisation_id: int, pk: int) -> bool:
    deleted, _rows = ConsultationHour.objects.filter(organisation_id=organisation_id, pk=pk).delete()
    return deleted > 0
