"""The experience survey for ``make run``: earlier answers of the demo
residents (enough phone answers to show figures and open texts, too few
video answers to show any), an open survey for the demo resident (the card
on her home page), and her first goal marked "liever in een gesprek"."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from casefiles.selectors import case_current, goals_active
from casefiles.services import talk_wish_set
from feedback.contacts import Contact
from feedback.models import Channel, ContactKind
from feedback.services import Answer, feedback_answer_save, feedback_offer_make

REMARKS = [
    "Fijn dat ik gewoon kon bellen.",
    "",
    "Ik moest lang wachten voordat er werd opgenomen.",
    "",
    "Duidelijke uitleg, dank u.",
]


def _answer(resident: User, *, days_ago: int, channel: str, score: int, again: str, remark: str) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    contact = Contact(ContactKind.APPOINTMENT, uuid.uuid4(), resident.pk, resident.organisation_id, channel, moment)
    offer = feedback_offer_make(contact=contact, now=moment)
    if offer is not None:
        feedback_answer_save(offer=offer, resident=resident, answer=Answer(score, again, remark))


def demo_feedback_create(*, residents: list[User]) -> None:
    """``residents[0]`` is the demo resident; the others gave the answers."""
    others = residents[1:] or residents
    for n in range(12):
        _answer(
            others[n % len(others)],
            days_ago=80 - 8 * (n // len(others)) - n % len(others),
            channel=Channel.PHONE,
            score=[5, 4, 4, 3, 5, 2][n % 6],
            again="yes" if n % 5 else "unknown",
            remark=REMARKS[n % len(REMARKS)],
        )
    for n in range(4):
        _answer(
            others[n % len(others)],
            days_ago=20 - n,
            channel=Channel.VIDEO,
            score=4,
            again="yes",
            remark="",
        )
    resident = residents[0]
    feedback_offer_make(
        contact=Contact(
            ContactKind.APPOINTMENT,
            uuid.uuid4(),
            resident.pk,
            resident.organisation_id,
            Channel.FACE_TO_FACE,
            timezone.now() - timedelta(hours=2),
        )
    )
    goals = goals_active(case=case_current(resident=resident))
    if goals:
        talk_wish_set(item=goals[0], resident=resident, is_wished=True)
