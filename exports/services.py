"""Changes of data exports: request, build (in the background), download,
and purge after expiry.

- ``export_request`` starts an export: at most one in the making per
  resident (a database constraint), ``EXPORT_REQUESTS_PER_DAY`` per
  resident per day; logged as an export of the resident's data; the build
  is enqueued after commit (``exports.tasks``).
- ``exports.building.export_build`` makes the ZIP part by part, writing the progress after
  each part, and stores it encrypted (``exports.crypto``) for
  ``EXPORT_VALID_DAYS`` days. Safe to run twice: only a queued export is
  claimed.
- ``export_download`` decrypts the ZIP for its own resident and logs it.
- ``export_purge`` deletes what has expired, and fails exports whose
  worker died.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import Access, access_log_record
from exports import crypto
from exports.models import DataExport
from exports.parts import ExportPart, export_file_name, export_part_register, plain
from exports.tasks import export_build_task
from samenspraak import ratelimit
from samenspraak.policy import Action

# What another capability needs to add its own part to the export (from its
# AppConfig.ready): capabilities reach each other through services only.
__all__ = ["ExportPart", "export_file_name", "export_part_register", "plain"]

OBJECT_TYPE = "data_export"
# An export still "in the making" after this long lost its worker.
STALE_AFTER = timedelta(hours=1)
DAY = 24 * 60 * 60


class ExportError(Exception):
    """A request that cannot be done; the message is for the resident."""


def _log(export: DataExport, actor: User, action: str) -> None:
    access_log_record(actor=actor, accesses=[Access(export.resident, OBJECT_TYPE, str(export.public_id), action)])


def export_request(*, resident: User) -> DataExport:
    """Start an export of all of ``resident``'s data (they asked themselves)."""
    _stale_fail(resident=resident)
    if DataExport.objects.filter(resident=resident, status__in=_IN_PROGRESS).exists():
        raise ExportError(_("Uw download wordt al gemaakt. Wacht tot die klaar is."))
    # Counted outside the transaction: a refused request counts too.
    if not ratelimit.hit(f"exports:request:{resident.pk}", settings.EXPORT_REQUESTS_PER_DAY, DAY):
        raise ExportError(
            _("U vroeg vandaag al %(count)s keer om uw gegevens. Probeer het morgen opnieuw.")
            % {"count": settings.EXPORT_REQUESTS_PER_DAY}
        )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(resident=resident)
            _log(export, resident, Action.CREATE)
            transaction.on_commit(lambda: _enqueue(export.pk))
    except IntegrityError as error:  # a second request at the same moment
        raise ExportError(_("Uw download wordt al gemaakt. Wacht tot die klaar is.")) from error
    return export


def _enqueue(export_id: int) -> None:
    export_build_task.enqueue(export_id=export_id)


_IN_PROGRESS = [DataExport.Status.QUEUED, DataExport.Status.RUNNING]


def _stale_fail(*, resident: User | None = None) -> int:
    stale = DataExport.objects.filter(status__in=_IN_PROGRESS, requested_at__lt=timezone.now() - STALE_AFTER)
    if resident is not None:
        stale = stale.filter(resident=resident)
    return stale.update(status=DataExport.Status.FAILED, finished_at=timezone.now())


def export_download(*, export: DataExport, user: User) -> bytes:
    """The decrypted ZIP for its resident (the caller got ``export`` through
    ``exports.access``); logged as an export, counted."""
    if not export.is_ready or export.expires_at is None or export.expires_at <= timezone.now():
        raise ExportError(_("Deze download is verlopen. Vraag een nieuwe aan."))
    content = crypto.decrypted_read(str(export.public_id))
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk).update(download_count=F("download_count") + 1)
        _log(export, user, Action.EXPORT)
    return content


def export_purge(*, now: datetime | None = None) -> int:
    """Delete the files of expired exports (and mark them expired); fail
    exports whose worker died. Returns how many files were deleted."""
    now = now or timezone.now()
    _stale_fail()
    expired = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now).select_related("resident")
    )
    for export in expired:
        crypto.encrypted_delete(str(export.public_id))
        with transaction.atomic():
            DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, size=0)
            access_log_record(
                actor=None,
                accesses=[Access(export.resident, OBJECT_TYPE, str(export.public_id), Action.DELETE)],
            )
    return len(expired)
