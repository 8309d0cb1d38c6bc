"""The experience survey's answers as a record class of the retention engine
(``samenspraak/retention.py``): each offer (with its answer, if any) is one
item, counted from the answer or, unanswered, from the offer."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from feedback.models import FeedbackOffer
from samenspraak.retention import DueItem, RecordClass, record_class_register


def offers_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    offers = FeedbackOffer.objects.filter(organisation_id=organisation_id).annotate(
        reference=Coalesce(F("answered_at"), F("offered_at"))
    )
    if resident_ids is not None:
        offers = offers.filter(resident_id__in=resident_ids)
    if before is not None:
        offers = offers.filter(reference__lt=before)
    return [
        DueItem(object_id=str(public_id), resident_id=resident_id, reference_at=reference)
        for public_id, resident_id, reference in offers.order_by("pk").values_list(
            "public_id", "resident_id", "reference"
        )
    ]


def offers_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    offers = FeedbackOffer.objects.filter(organisation_id=organisation_id, public_id__in=object_ids)
    destroyed = [str(public_id) for public_id in offers.values_list("public_id", flat=True)]
    offers.delete()
    return destroyed


def register() -> None:
    record_class_register(
        RecordClass(
            code="experience_survey",
            label=_("Vragen over een contact (ervaring)"),
            rule=_("na het antwoord, of na het aanbieden als er geen antwoord kwam"),
            order=35,
            unit="years",
            default=2,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; niet langer dan nodig (AVG art. 5)"),
            items=offers_due,
            destroy=offers_destroy,
        )
    )
