"""Reads for preparation guides, scoped by their callers (who reached the
resident or the preparation through ``preparation.access``). Each read is
a fixed number of queries whatever the number of items or documents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from organisations.caseload import CaseloadCounts, count_per_resident
from preparation.models import Guide, GuideItem, Preparation, PreparationDocument, PreparationItem
from samenspraak.policy import residents_for_casework, residents_log_listed


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("marker").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_progress(preparations: QuerySet[Preparation]) -> QuerySet[Preparation]:
    """Each preparation with ``item_count``, ``done_count`` and
    ``document_count`` (documents not moved yet) as subqueries."""
    items = GuideItem.objects.filter(guide_id=OuterRef("guide_id")).annotate(marker=Value(1))
    done = PreparationItem.objects.filter(
        preparation_id=OuterRef("pk"), is_done=True, guide_item__guide_id=OuterRef("guide_id")
    ).annotate(marker=Value(1))
    documents = PreparationDocument.objects.filter(preparation_id=OuterRef("pk"), moved_at__isnull=True).annotate(
        marker=Value(1)
    )
    return preparations.annotate(
        item_count=_count(items), done_count=_count(done), document_count=_count(documents)
    ).select_related("guide")


def guides_published(*, organisation_id: int | None) -> QuerySet[Guide]:
    if organisation_id is None:
        return Guide.objects.none()
    return Guide.objects.filter(organisation_id=organisation_id, status=Guide.Status.PUBLISHED)


def guides_of_organisation(*, organisation_id: int) -> QuerySet[Guide]:
    return Guide.objects.filter(organisation_id=organisation_id).annotate(
        item_count=Count("items"), preparation_count=Count("preparations", distinct=True)
    )


def preparations_of_resident(*, resident: User, published_only: bool) -> list[Preparation]:
    preparations = Preparation.objects.filter(resident=resident)
    if published_only:
        preparations = preparations.filter(guide__status=Guide.Status.PUBLISHED)
    return list(_with_progress(preparations).order_by("-created_at", "pk"))


@dataclass
class ItemRow:
    item: GuideItem
    is_done: bool = False
    note: str = ""
    documents: list[PreparationDocument] = field(default_factory=list)
    moved: list[PreparationDocument] = field(default_factory=list)


@dataclass
class PreparationView:
    preparation: Preparation
    rows: list[ItemRow]

    @property
    def item_count(self) -> int:
        return len(self.rows)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.is_done)

    @property
    def documents_waiting(self) -> list[PreparationDocument]:
        return [document for row in self.rows for document in row.documents]

    @property
    def moved_count(self) -> int:
        return sum(len(row.moved) for row in self.rows)


def preparation_view(*, preparation: Preparation) -> PreparationView:
    """Every item of the guide with the resident's tick, note and documents
    (three queries: items, answers, documents)."""
    rows = [ItemRow(item=item) for item in GuideItem.objects.filter(guide_id=preparation.guide_id)]
    by_item = {row.item.pk: row for row in rows}
    for answer in PreparationItem.objects.filter(preparation=preparation):
        row = by_item.get(answer.guide_item_id)
        if row is not None:
            row.is_done, row.note = answer.is_done, answer.note
    for document in PreparationDocument.objects.filter(preparation=preparation):
        row = by_item.get(document.guide_item_id)
        if row is not None:
            (row.moved if document.is_moved else row.documents).append(document)
    return PreparationView(preparation=preparation, rows=rows)


def guide_item_of(*, preparation: Preparation, public_id: uuid.UUID | str) -> GuideItem | None:
    return GuideItem.objects.filter(guide_id=preparation.guide_id, public_id=public_id).first()


OVERVIEW_MAX = 100


def preparations_for_caseload(*, user: User) -> list[Preparation]:
    """The preparations of the residents ``user`` works with: ready ones
    first (oldest ready first), then the rest, newest first; at most
    ``OVERVIEW_MAX``. Each resident shown is logged as listed."""
    residents = residents_for_casework(user)
    preparations = list(
        _with_progress(Preparation.objects.filter(resident__in=residents, guide__organisation_id=user.organisation_id))
        .select_related("resident")
        .order_by(F("ready_at").asc(nulls_last=True), "-created_at", "pk")[:OVERVIEW_MAX]
    )
    shown = {preparation.resident_id: preparation.resident for preparation in preparations}
    residents_log_listed(user=user, residents=shown.values(), object_type="preparations")
    return preparations


def caseload_counts_of_preparations(worker: User) -> dict[str, Any]:
    """Per resident on the caseload: preparations the resident said were
    ready that no worker has opened since (a correlated subquery)."""
    ready = Preparation.objects.filter(resident_id=OuterRef("pk"), ready_at__isnull=False, seen_at__isnull=True)
    return {"preparations_ready": count_per_resident(ready, "resident_id")}


CASELOAD_COUNTS = CaseloadCounts(
    name="preparation",
    order=60,
    annotations=caseload_counts_of_preparations,
    unread=("preparations_ready",),
)
