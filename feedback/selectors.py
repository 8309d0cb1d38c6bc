"""Reads for the experience survey: the resident's open offer, and the
results per channel for the organisation (aggregates only: no page shows
an answer next to a resident)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import User
from feedback.models import Again, Channel, FeedbackOffer, FeedbackPreference, OfferStatus, Score

# An offer not answered within this time is no longer shown.
OFFER_SHOWN_FOR = timedelta(days=14)
# Below this many answers a channel shows no figures ("te weinig antwoorden").
MINIMUM_ANSWERS = 10


def _open_offers(resident: Any) -> Any:
    return FeedbackOffer.objects.filter(
        resident=resident, status=OfferStatus.OPEN, offered_at__gte=timezone.now() - OFFER_SHOWN_FOR
    )


def feedback_offer_open(*, resident: User) -> FeedbackOffer | None:
    """The resident's newest open offer, or None (one query)."""
    return _open_offers(resident).order_by("-offered_at", "-pk").first()


def feedback_is_opted_out(*, resident: User) -> bool:
    return FeedbackPreference.objects.filter(resident=resident, is_opted_out=True).exists()


@dataclass
class ChannelResult:
    channel: str
    label: str
    answers: int = 0
    average: float | None = None
    again_yes_share: float | None = None
    remarks: list[str] = field(default_factory=list)

    @property
    def is_enough(self) -> bool:
        return self.answers >= MINIMUM_ANSWERS


def feedback_results(
    *, organisation_id: int, include_remarks: bool, starts: datetime | None = None, ends: datetime | None = None
) -> list[ChannelResult]:
    """Per channel of the organisation: answers, average score and the share
    that would choose this way again; figures only from ``MINIMUM_ANSWERS``
    answers on. With ``include_remarks`` (the organisation admin) the open
    texts of those channels, without names or dates. Two queries at most,
    whatever the number of answers."""
    answered = FeedbackOffer.objects.filter(organisation_id=organisation_id, status=OfferStatus.ANSWERED)
    if starts is not None:
        answered = answered.filter(answered_at__gte=starts)
    if ends is not None:
        answered = answered.filter(answered_at__lt=ends)
    rows: dict[str, dict[str, Any]] = {
        row["channel"]: dict(row)
        for row in answered.order_by()
        .values("channel")
        .annotate(answers=Count("pk"), average=Avg("score"), again_yes=Count("pk", filter=Q(again=Again.YES)))
    }
    results = []
    for choice in Channel:
        row: dict[str, Any] = rows.get(choice.value, {})
        result = ChannelResult(channel=choice.value, label=str(choice.label), answers=row.get("answers", 0))
        if result.is_enough:
            result.average = round(float(row["average"]), 1)
            result.again_yes_share = round(100 * row["again_yes"] / result.answers)
        results.append(result)
    enough = [result.channel for result in results if result.is_enough]
    if include_remarks and enough:
        by_channel = {result.channel: result for result in results}
        for channel_code, remark in (
            answered.filter(channel__in=enough).exclude(remark="").order_by("channel", "answered_at", "pk")
        ).values_list("channel", "remark"):
            by_channel[channel_code].remarks.append(remark)
    return results


def experience_figures_per_organisation(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the benchmark: answers given in ``[starts, ends)`` per
    organisation and channel: ``answers``, distinct ``residents``, ``good``
    (answers scoring "goed" or "heel goed") and ``again_yes``. One grouped
    query."""
    return [
        dict(row)
        for row in FeedbackOffer.objects.filter(
            status=OfferStatus.ANSWERED, answered_at__gte=starts, answered_at__lt=ends
        )
        .order_by()
        .values("organisation_id", "channel")
        .annotate(
            answers=Count("pk"),
            residents=Count("resident_id", distinct=True),
            good=Count("pk", filter=Q(score__gte=Score.GOOD)),
            again_yes=Count("pk", filter=Q(again=Again.YES)),
        )
        .order_by("organisation_id", "channel")
    ]
