"""Writes for the experience survey.

Rules kept here:
- an offer is made about one contact once (a database constraint);
- a resident gets at most one offer in ``OFFER_GAP`` (seven days): the
  gate is ``FeedbackPreference.last_offered_at``, moved by one conditional
  UPDATE in the offer's transaction, so two offers made at the same moment
  (two task runners) cannot both pass;
- a resident who said no gets no offer, and their open offers are
  withdrawn at once;
- an answer is saved once; a skipped offer is gone;
- the answer and every change of the resident's choice are logged in the
  access log (the resident's own data, written by themselves).

Offers are made by ``feedback_offers_create`` (the periodic job, like the
appointment notices): it reads the contacts of the last days from the
capabilities that own them (``feedback.contacts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.timeline import timeline_event_add
from feedback.contacts import Contact, contacts_between
from feedback.models import (
    REMARK_MAX,
    Again,
    FeedbackOffer,
    FeedbackPreference,
    OfferStatus,
    Score,
)
from feedback.timeline_kinds import SURVEY_OFFERED
from samenspraak.attention import attention_changed

Action = AccessLogEntry.Action

OFFER_GAP = timedelta(days=7)
# Contacts this recent are looked at by each run; an older contact is not
# asked about any more ("how was it" a week later means little).
LOOKBACK = timedelta(days=2)


class FeedbackError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


@dataclass(frozen=True)
class Answer:
    score: int
    again: str
    remark: str = ""


def feedback_offer_make(*, contact: Contact, now: datetime | None = None) -> FeedbackOffer | None:
    """Offer the survey about ``contact`` when the resident may get one now:
    not opted out, no offer in the last seven days, this contact not asked
    about before. Returns the offer, or None. Race-safe: the seven-day gate
    is one conditional UPDATE, the contact a unique constraint; a lost race
    rolls back both."""
    now = now or timezone.now()
    if contact.organisation_id is None:
        return None
    try:
        with transaction.atomic():
            FeedbackPreference.objects.get_or_create(resident_id=contact.resident_id)
            passed = (
                FeedbackPreference.objects.filter(resident_id=contact.resident_id, is_opted_out=False)
                .filter(Q(last_offered_at__isnull=True) | Q(last_offered_at__lte=now - OFFER_GAP))
                .update(last_offered_at=now)
            )
            if not passed:
                return None
            offer = FeedbackOffer.objects.create(
                resident_id=contact.resident_id,
                organisation_id=contact.organisation_id,
                contact_kind=contact.kind,
                contact_public_id=contact.public_id,
                channel=contact.channel,
                contact_at=contact.at,
                offered_at=now,
            )
            # The resident hears of it in their news (and its menu count).
            timeline_event_add(
                resident=offer.resident,
                kind=SURVEY_OFFERED,
                summary=_("Vragen over een contact aangeboden"),
                params={"channel": offer.channel},
                actor=None,
                is_shared=True,
                object_type="feedback_offer",
                object_public_id=offer.public_id,
            )
    except IntegrityError:
        # This contact was offered by a run at the same moment.
        return None
    return offer


def _latest_per_resident(contacts: Iterable[Contact]) -> list[Contact]:
    latest: dict[int, Contact] = {}
    for contact in contacts:
        if contact.resident_id not in latest or contact.at > latest[contact.resident_id].at:
            latest[contact.resident_id] = contact
    return list(latest.values())


def feedback_offers_create(*, now: datetime | None = None) -> int:
    """The periodic job: offer the survey about the latest contact of each
    resident in the last ``LOOKBACK`` whose gate is open. Returns how many
    offers were made. A fixed number of reads, then one small transaction
    per offer."""
    now = now or timezone.now()
    contacts = contacts_between(starts=now - LOOKBACK, ends=now)
    if not contacts:
        return 0
    resident_ids = {contact.resident_id for contact in contacts}
    residents = set(User.objects.filter(pk__in=resident_ids, role=Role.RESIDENT).values_list("pk", flat=True))
    closed = set(
        FeedbackPreference.objects.filter(resident_id__in=resident_ids)
        .filter(Q(is_opted_out=True) | Q(last_offered_at__gt=now - OFFER_GAP))
        .values_list("resident_id", flat=True)
    )
    asked = set(
        FeedbackOffer.objects.filter(resident_id__in=resident_ids).values_list(
            "resident_id", "contact_kind", "contact_public_id"
        )
    )
    candidates = [
        contact
        for contact in contacts
        if contact.resident_id in residents
        and contact.resident_id not in closed
        and (contact.resident_id, contact.kind, contact.public_id) not in asked
    ]
    made = 0
    for contact in _latest_per_resident(candidates):
        if feedback_offer_make(contact=contact, now=now) is not None:
            made += 1
    return made


def feedback_answer_check(answer: Answer) -> None:
    """Raise ``FeedbackError`` with the first broken rule."""
    if answer.score not in Score.values:
        raise FeedbackError(_("Kies bij vraag 1 hoe het contact was."))
    if answer.again not in Again.values:
        raise FeedbackError(_("Kies bij vraag 2 ja, nee of weet ik niet."))
    if len(answer.remark) > REMARK_MAX:
        raise FeedbackError(_("Schrijf hoogstens %(max)s tekens.") % {"max": REMARK_MAX})


def _locked_open(offer: FeedbackOffer, resident: User) -> FeedbackOffer:
    locked = FeedbackOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.resident_id != resident.pk:
        raise FeedbackError(_("Deze vragen zijn niet voor u."))
    if locked.status != OfferStatus.OPEN:
        raise FeedbackError(_("Deze vragen zijn al beantwoord of overgeslagen."))
    return locked


@transaction.atomic
def feedback_answer_save(*, offer: FeedbackOffer, resident: User, answer: Answer) -> FeedbackOffer:
    """Save the resident's answer, once. Logged as the resident's own change."""
    feedback_answer_check(answer)
    locked = _locked_open(offer, resident)
    locked.status = OfferStatus.ANSWERED
    locked.score = answer.score
    locked.again = answer.again
    locked.remark = answer.remark.strip()
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "score", "again", "remark", "answered_at"])
    access_log_record(
        actor=resident, accesses=[Access(resident, "feedback_answer", str(locked.public_id), Action.CREATE)]
    )
    attention_changed([resident])
    return locked


@transaction.atomic
def feedback_offer_skip(*, offer: FeedbackOffer, resident: User) -> FeedbackOffer:
    """The resident skips the survey: it is gone, nothing is kept."""
    locked = _locked_open(offer, resident)
    locked.status = OfferStatus.SKIPPED
    locked.save(update_fields=["status"])
    access_log_record(
        actor=resident, accesses=[Access(resident, "feedback_offer", str(locked.public_id), Action.CHANGE)]
    )
    attention_changed([resident])
    return locked


@transaction.atomic
def feedback_opt_out_set(*, resident: User, is_opted_out: bool) -> FeedbackPreference:
    """Say yes or no to the survey. No takes effect at once: open offers are
    withdrawn and no new one is made."""
    preference, _created = FeedbackPreference.objects.select_for_update().get_or_create(resident=resident)
    preference.is_opted_out = is_opted_out
    preference.save(update_fields=["is_opted_out", "updated_at"])
    if is_opted_out:
        FeedbackOffer.objects.filter(resident=resident, status=OfferStatus.OPEN).update(status=OfferStatus.WITHDRAWN)
    access_log_record(
        actor=resident,
        accesses=[Access(resident, "feedback_preference", str(resident.public_id), Action.CHANGE)],
    )
    attention_changed([resident])
    return preference
