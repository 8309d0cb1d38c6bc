"""The experience survey's answers as a record class of the retention engine
(``samenspraak/retention.py``): each offer (with its answer, if any) is one
item, counted from the answer or, unanswered, from the offer. And the
answers as a part of the resident's own download (``exports``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from exports.services import ExportPart, export_part_register, plain
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


def answers_part(resident: User) -> ExportPart:
    """One row per survey the resident got, with their answer (one query)."""
    return ExportPart(
        rows=[
            {
                "kanaal": offer.get_channel_display(),
                "contact_op": plain(offer.contact_at),
                "aangeboden_op": plain(offer.offered_at),
                "status": offer.get_status_display(),
                "hoe_was_het": offer.get_score_display() if offer.score else "",
                "weer_zo_doen": offer.get_again_display() if offer.again else "",
                "opmerking": offer.remark,
                "beantwoord_op": plain(offer.answered_at) if offer.answered_at else "",
            }
            for offer in FeedbackOffer.objects.filter(resident=resident).order_by("offered_at", "pk")
        ]
    )


def register() -> None:
    export_part_register(
        "ervaringen",
        answers_part,
        order=89,
        title=_("Uw antwoorden op de vragen over een contact"),
        purpose=_("Om te leren hoe ons contact met inwoners beter kan; medewerkers zien uw antwoorden niet."),
    )
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
