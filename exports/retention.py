"""Data exports as a record class of the retention engine
(``samenspraak/retention.py``): the encrypted ZIP of a finished export is
deleted once its period after finishing has passed; the row stays, marked
expired, without content. ``purge_exports`` does the same by the export's
own ``expires_at``; ``purge_retention`` applies the organisation's period."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from exports import crypto
from exports.models import DataExport
from samenspraak.retention import DueItem, RecordClass, record_class_register


def exports_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    exports = DataExport.objects.filter(resident__organisation_id=organisation_id, status=DataExport.Status.READY)
    if before is not None:
        exports = exports.filter(finished_at__lt=before)
    if resident_ids is not None:
        exports = exports.filter(resident_id__in=resident_ids)
    return [
        DueItem(object_id=str(public_id), resident_id=resident_id, reference_at=finished_at)
        for public_id, resident_id, finished_at in exports.order_by("pk").values_list(
            "public_id", "resident_id", "finished_at"
        )
    ]


def _files_delete(names: list[str]) -> None:
    for name in names:
        crypto.encrypted_delete(name)


def exports_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    exports = DataExport.objects.filter(
        resident__organisation_id=organisation_id, status=DataExport.Status.READY, public_id__in=object_ids
    )
    names = [str(public_id) for public_id in exports.values_list("public_id", flat=True)]
    if not names:
        return []
    DataExport.objects.filter(public_id__in=names).update(status=DataExport.Status.EXPIRED, size=0)
    transaction.on_commit(partial(_files_delete, names))
    return names


def register() -> None:
    record_class_register(
        RecordClass(
            code="exports",
            label=_("Downloads van al hun gegevens"),
            rule=_("nadat de download klaar was"),
            order=50,
            unit="days",
            default=7,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; alleen zolang de inwoner hem nodig heeft"),
            items=exports_due,
            destroy=exports_destroy,
        )
    )
