"""Who may reach an export: only the resident whose data it is. Anyone
else (a trusted person, a worker, another resident) gets 404, and an
attempt on an existing export is logged as denied."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import User
from audit.services import Access, access_log_record
from exports.models import DataExport
from samenspraak.policy import Action, Outcome, parse_public_id


def export_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> DataExport:
    """The export ``public_id`` of ``user`` themselves. Reads are not logged
    here: the download logs itself (``export_download``)."""
    export = DataExport.objects.select_related("resident").filter(public_id=parse_public_id(public_id)).first()
    if export is None:
        raise Http404
    if export.resident_id != user.pk:
        access_log_record(
            actor=user,
            accesses=[Access(export.resident, "data_export", str(export.public_id), action, Outcome.DENIED)],
        )
        raise Http404
    return export
