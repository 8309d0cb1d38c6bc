"""The diary as a record class of the retention engine
(``samenspraak/retention.py``): a resident's whole diary (activities and the
coach's week comments) is one unit, counted from the last day written in it."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from diary.models import DiaryEntry, DiaryWeekComment
from samenspraak.retention import DueItem, RecordClass, record_class_register


def diaries_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    diaries = DiaryEntry.objects.filter(resident__organisation_id=organisation_id)
    if resident_ids is not None:
        diaries = diaries.filter(resident_id__in=resident_ids)
    rows = diaries.order_by().values("resident_id", "resident__public_id").annotate(last_day=Max("day"))
    if before is not None:
        rows = rows.filter(last_day__lt=timezone.localtime(before).date())
    return [
        DueItem(
            object_id=str(row["resident__public_id"]),
            resident_id=row["resident_id"],
            reference_at=timezone.make_aware(datetime.combine(row["last_day"], time.max)),
        )
        for row in rows.order_by("resident_id")
    ]


def diaries_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Delete the diaries of the residents ``object_ids`` (their public ids)."""
    residents = User.objects.filter(organisation_id=organisation_id, public_id__in=object_ids)
    rows = list(
        DiaryEntry.objects.filter(resident__in=residents)
        .order_by()
        .values_list("resident_id", "resident__public_id")
        .distinct()
    )
    with_entries = [resident_id for resident_id, _public_id in rows]
    DiaryEntry.objects.filter(resident_id__in=with_entries).delete()
    DiaryWeekComment.objects.filter(resident_id__in=with_entries).delete()
    return [str(public_id) for _resident_id, public_id in rows]


def register() -> None:
    record_class_register(
        RecordClass(
            code="diary",
            label=_("Dagboek"),
            rule=_("na de laatste dag in het dagboek"),
            order=30,
            unit="years",
            default=2,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; niet langer dan nodig (AVG art. 5)"),
            items=diaries_due,
            destroy=diaries_destroy,
        )
    )
