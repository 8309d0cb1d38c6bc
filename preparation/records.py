"""Preparations as records: a part of the resident's data export and a
record class of the retention engine (registered in ``PreparationConfig.ready``).

A preparation is the resident's own work (ticks, notes, documents they
uploaded), so it goes into their export as a whole. For retention one
preparation with its ticks, notes and documents is one unit, counted from
its last change; documents already moved into the case file are copies
there and follow the case file's own period.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from exports.services import ExportPart, export_file_name, export_part_register, plain
from preparation.models import Preparation, PreparationDocument, PreparationItem
from samenspraak.retention import DueItem, RecordClass, record_class_register


def preparations_part(resident: User) -> ExportPart:
    """Per item of every preparation: the tick, the note and the files."""
    part = ExportPart()
    answers = {
        (answer.preparation_id, answer.guide_item_id): answer
        for answer in PreparationItem.objects.filter(preparation__resident=resident)
    }
    documents = PreparationDocument.objects.filter(preparation__resident=resident).select_related("guide_item")
    files_by_item: dict[tuple[int, int], list[str]] = {}
    for number, document in enumerate(documents, start=1):
        path = f"bestanden/voorbereiding/{export_file_name(number, document.original_name)}"
        with document.file.open("rb") as handle:
            part.files.append((path, handle.read()))
        files_by_item.setdefault((document.preparation_id, document.guide_item_id), []).append(path)
    preparations = (
        Preparation.objects.filter(resident=resident).select_related("guide").prefetch_related("guide__items")
    )
    for preparation in preparations:
        for item in preparation.guide.items.all():
            answer = answers.get((preparation.pk, item.pk))
            part.rows.append(
                {
                    "handleiding": preparation.guide.title,
                    "onderdeel": item.title,
                    "klaar": bool(answer and answer.is_done),
                    "notitie": answer.note if answer else "",
                    "bestanden_in_zip": ", ".join(files_by_item.get((preparation.pk, item.pk), [])),
                    "gestart_op": plain(preparation.created_at),
                    "klaar_gemeld_op": plain(preparation.ready_at) if preparation.ready_at else "",
                }
            )
    return part


def preparations_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    rows = Preparation.objects.filter(resident__organisation_id=organisation_id)
    if resident_ids is not None:
        rows = rows.filter(resident_id__in=resident_ids)
    # The last change anywhere in the preparation: its own row, a tick or note, a document.
    rows = rows.annotate(
        last_change=Greatest(
            "updated_at",
            Coalesce(Max("answers__updated_at"), F("updated_at")),
            Coalesce(Max("documents__created_at"), F("updated_at")),
        )
    )
    if before is not None:
        rows = rows.filter(last_change__lt=before)
    return [
        DueItem(object_id=str(row["public_id"]), resident_id=row["resident_id"], reference_at=row["last_change"])
        for row in rows.order_by("pk").values("public_id", "resident_id", "last_change")
    ]


def preparations_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Delete the preparations ``object_ids`` with their ticks, notes and
    documents; the files go after the commit."""
    preparations = Preparation.objects.filter(resident__organisation_id=organisation_id, public_id__in=object_ids)
    destroyed = [str(public_id) for public_id in preparations.values_list("public_id", flat=True)]
    documents = PreparationDocument.objects.filter(preparation__in=preparations)
    names = [name for name in documents.values_list("file", flat=True) if name]
    storage = PreparationDocument.file.field.storage
    documents.delete()
    PreparationItem.objects.filter(preparation__in=preparations).delete()
    preparations.delete()

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return destroyed


def register() -> None:
    export_part_register(
        "voorbereiding",
        preparations_part,
        order=85,
        title=_("Uw voorbereidingen"),
        purpose=_("Om samen met uw sociaal werker voor te bereiden wat nodig is, bijvoorbeeld voor schuldhulp."),
    )
    record_class_register(
        RecordClass(
            code="preparations",
            label=_("Voorbereidingen"),
            rule=_("na de laatste wijziging in de voorbereiding"),
            order=35,
            unit="years",
            default=2,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; niet langer dan nodig (AVG art. 5)"),
            items=preparations_due,
            destroy=preparations_destroy,
        )
    )
