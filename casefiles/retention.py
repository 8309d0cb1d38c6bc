"""The case file as a record class of the retention engine
(``samenspraak/retention.py``): a closed case with everything in it
(questions, goals and steps, agreements, notes, documents with their files,
comments, correction requests and its timeline events) is destroyed as one
unit once its period after closing has passed."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from casefiles.models import Case, Document, TimelineEvent
from samenspraak.retention import DueItem, RecordClass, record_class_register
from samenspraak.storage import private_storage


def case_files_due(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    cases = Case.objects.filter(organisation_id=organisation_id)
    if before is not None:
        cases = cases.filter(status=Case.Status.CLOSED, closed_at__lt=before)
    if resident_ids is not None:
        cases = cases.filter(resident_id__in=resident_ids)
    return [
        DueItem(
            object_id=str(public_id),
            resident_id=resident_id,
            reference_at=closed_at if status == Case.Status.CLOSED else None,
            case_ref=str(public_id),
        )
        for public_id, resident_id, status, closed_at in cases.order_by("pk").values_list(
            "public_id", "resident_id", "status", "closed_at"
        )
    ]


def _files_delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


def case_files_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Delete the closed cases ``object_ids`` with everything in them; the
    document files go after commit. A case that is open again is skipped."""
    cases = Case.objects.filter(organisation_id=organisation_id, public_id__in=object_ids, status=Case.Status.CLOSED)
    rows = list(cases.values_list("pk", "public_id"))
    if not rows:
        return []
    case_ids = [pk for pk, _public_id in rows]
    names = [name for name in Document.objects.filter(case_id__in=case_ids).values_list("file", flat=True) if name]
    TimelineEvent.objects.filter(case_id__in=case_ids).delete()
    Case.objects.filter(pk__in=case_ids).delete()
    transaction.on_commit(partial(_files_delete, names))
    return [str(public_id) for _pk, public_id in rows]


def register() -> None:
    record_class_register(
        RecordClass(
            code="case_file",
            label=_("Dossier"),
            rule=_("na het afsluiten van het dossier"),
            order=10,
            unit="years",
            default=15,
            legal_minimum=15,
            legal_basis=_("Wmo: 15 jaar na afsluiten (aansluitend bij de WGBO)"),
            youth_care_legal_basis=_("Jeugdwet art. 7.3.8: 20 jaar na afsluiten"),
            youth_care_default=20,
            youth_care_legal_minimum=20,
            items=case_files_due,
            destroy=case_files_destroy,
        )
    )
