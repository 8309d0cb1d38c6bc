"""Building an export: every registered part (``exports.parts``), the
readable PDF (``exports.pdf``) and the access log's "who looked", in one
ZIP, stored encrypted (``exports.crypto``). Runs in the background
(``exports.tasks``)."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.selectors import access_log_for_resident
from exports import crypto
from exports.models import DataExport
from exports.parts import ExportPart, Row, export_parts, plain
from exports.pdf import LookedRow, PartSummary, export_pdf
from samenspraak.spreadsheet import csv_cell_safe

logger = logging.getLogger(__name__)


def _progress(export: DataExport, percent: int) -> None:
    DataExport.objects.filter(pk=export.pk).update(progress=percent)


def _csv(rows: list[Row]) -> str:
    out = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell_safe(_cell(row.get(column))) for column in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(plain(value))


def _who_looked(resident: User) -> list[LookedRow]:
    return [
        LookedRow(
            occurred_at=entry.occurred_at,
            actor=entry.actor_name,
            role=entry.actor_role_label,
            what=entry.object_type_label,
            action=str(entry.get_action_display()),
        )
        for entry in access_log_for_resident(resident=resident).iterator(chunk_size=2000)
    ]


def export_zip(*, resident: User, on_progress: Callable[[int], None] | None = None) -> bytes:
    """The ZIP of all of ``resident``'s data (see ``exports.parts``)."""
    kinds = export_parts()
    parts: dict[str, ExportPart] = {}
    for number, kind in enumerate(kinds, start=1):
        parts[kind.name] = kind.build(resident)
        if on_progress is not None:
            on_progress(int(85 * number / (len(kinds) + 1)))
    looked = _who_looked(resident)
    made_at = timezone.now()
    organisation_name = resident.organisation.name if resident.organisation else "Samenspraak"
    pdf = export_pdf(
        resident_name=resident.full_name or resident.username,
        organisation_name=organisation_name,
        made_at=made_at,
        parts=[
            PartSummary(str(kind.title), str(kind.purpose), len(parts[kind.name].rows), f"{kind.name}.csv")
            for kind in kinds
        ],
        looked=looked,
        includes_internal_notes=settings.EXPORT_INCLUDE_INTERNAL_NOTES,
    )
    looked_rows: list[Row] = [
        {"moment": plain(row.occurred_at), "wie": row.actor, "rol": row.role, "wat": row.what, "actie": row.action}
        for row in looked
    ]
    document = {
        "gemaakt_op": plain(made_at),
        "organisatie": organisation_name,
        **{name: part.rows for name, part in parts.items()},
        "wie_keek_mee": looked_rows,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lees-mij-eerst.pdf", pdf)
        archive.writestr("gegevens.json", json.dumps(document, ensure_ascii=False, indent=2))
        for name, part in parts.items():
            archive.writestr(f"{name}.csv", _csv(part.rows))
            for path, content in part.files:
                archive.writestr(path, content)
        archive.writestr("wie-keek-mee.csv", _csv(looked_rows))
    return buffer.getvalue()


def export_build(*, export_id: int) -> None:
    """Build a queued export. Claims it first (queued → running), so a
    second run of the same task does nothing; a failure marks it failed
    and leaves no file."""
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.RUNNING, progress=1
    )
    if not claimed:
        return
    export = DataExport.objects.select_related("resident__organisation").get(pk=export_id)
    name = str(export.public_id)
    try:
        content = export_zip(resident=export.resident, on_progress=lambda percent: _progress(export, percent))
        _progress(export, 90)
        size = crypto.encrypted_write(name, content)
    except Exception:
        logger.exception("Export %s failed", export.public_id)
        crypto.encrypted_delete(name)
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        return
    now = timezone.now()
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING).update(
        status=DataExport.Status.READY,
        progress=100,
        size=size,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_VALID_DAYS),
    )
