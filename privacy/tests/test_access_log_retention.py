"""The access log through the retention engine: after the organisation's
period (NEN 7513: at least 5 years) the oldest entries of its chain are
destroyed as one prefix under a signed anchor; the chain, and a checkpoint
from before, still verify; a resident under a legal hold keeps their
entries (the cut stops before the first of them); an erasure request never
destroys the access log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from audit.checkpoints import checkpoint_file
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record, access_log_verify, chain_key_for
from conftest import Personas
from privacy.models import DestructionRecord, PrivacyRequest
from privacy.retention import erasure_execute, legal_hold_place, retention_purge, retention_settings_set
from privacy.services import RequestData, privacy_request_register

AMSTERDAM = timezone.get_default_timezone()
T0 = datetime(2027, 1, 15, 10, 0, tzinfo=AMSTERDAM)


def years(n: float) -> timedelta:
    return timedelta(days=round(365.25 * n))


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    directory = tmp_path / "checkpoints"
    settings.ACCESS_LOG_CHECKPOINT_DIR = str(directory)
    return directory


def reads(worker: User, resident: User, *, at: datetime, count: int = 1) -> list[AccessLogEntry]:
    with time_machine.travel(at, tick=False):
        return access_log_record(
            actor=worker, accesses=[Access(resident, "resident", str(resident.public_id), "view")] * count
        )


def sequences(organisation_id: int) -> list[int]:
    entries = AccessLogEntry.objects.filter(chain_key=chain_key_for(organisation_id)).order_by("sequence")
    return list(entries.values_list("sequence", flat=True))


def purge(at: datetime, capture: Callable[..., Any]) -> Any:
    with time_machine.travel(at, tick=False), capture(execute=True):
        return retention_purge(codes=["access_log"])


def test_a_purge_six_years_later_cuts_only_the_old_prefix_and_the_log_still_verifies(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    p = personas
    old_a = reads(p.worker, p.resident, at=T0, count=3)
    young_a = reads(p.worker, p.resident, at=T0 + years(2), count=2)
    reads(p.worker, p.resident, at=T0 + years(5.5))
    old_b = reads(p.foreign_worker, p.foreign_resident, at=T0, count=2)
    with time_machine.travel(T0 + years(2), tick=False):
        call_command("checkpoint_access_log", stdout=StringIO())  # the heads before the cut
        # B keeps its access log 10 years.
        officer_b = User.objects.get(role=Role.PRIVACY_OFFICER, organisation=p.foreign_organisation)
        retention_settings_set(officer=officer_b, provides_youth_care=False, periods={"access_log": 10})
    b_before = sequences(p.foreign_organisation.pk)

    report = purge(T0 + years(6), django_capture_on_commit_callbacks)

    # A: everything up to the old reads (and what came before them) is gone.
    assert sequences(p.organisation.pk)[0] == old_a[-1].sequence + 1
    assert AccessLogEntry.objects.filter(pk__in=[e.pk for e in young_a]).count() == 2
    assert not AccessLogEntry.objects.filter(pk__in=[e.pk for e in old_a]).exists()
    # B: 10 years, nothing cut (its own destruction entries are not there either).
    assert sequences(p.foreign_organisation.pk) == b_before
    assert AccessLogEntry.objects.filter(pk__in=[e.pk for e in old_b]).count() == 2
    assert report.destroyed == {"access_log": 1}

    # One register line for the cut, naming its last entry and no resident.
    record = DestructionRecord.objects.get()
    assert (record.record_class, record.object_id, record.resident_ref) == (
        "access_log",
        f"{old_a[-1].chain_key}#{old_a[-1].sequence}",
        None,
    )
    destruction = AccessLogEntry.objects.get(object_type="destruction")
    assert destruction.subject_id is None and destruction.object_id == record.object_id

    # The chain, and the checkpoint written before the cut, verify through the anchor.
    assert access_log_verify() == []
    call_command("verify_access_log", stdout=StringIO())
    assert '"kind": "anchor"' in checkpoint_file(old_a[0].chain_key).read_text()


def test_the_cut_stops_before_the_first_entry_of_a_resident_under_a_legal_hold(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    p = personas
    before_hold = reads(p.worker, p.resident, at=T0, count=2)
    held = reads(p.team_worker, p.team_resident, at=T0 + timedelta(days=1))
    after_hold = reads(p.worker, p.resident, at=T0 + timedelta(days=2), count=2)
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        legal_hold_place(officer=p.privacy_officer, resident=p.team_resident, reason="Klacht bij de rechter")

    report = purge(T0 + years(6), django_capture_on_commit_callbacks)

    assert not AccessLogEntry.objects.filter(pk__in=[e.pk for e in before_hold]).exists()
    assert AccessLogEntry.objects.filter(pk__in=[e.pk for e in held + after_hold]).count() == 3
    assert sequences(p.organisation.pk)[0] == held[0].sequence
    assert report.held["access_log"] >= 1
    assert access_log_verify() == []


def test_an_erasure_request_keeps_the_access_log(personas: Personas) -> None:
    p = personas
    entries = reads(p.worker, p.resident, at=T0, count=2)
    with time_machine.travel(T0 + years(6), tick=False):
        request = privacy_request_register(
            officer=p.privacy_officer,
            data=RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.resident),
        )
        erasure_execute(request=request, officer=p.privacy_officer)
    assert AccessLogEntry.objects.filter(pk__in=[e.pk for e in entries]).count() == 2
    assert not DestructionRecord.objects.filter(record_class="access_log").exists()
    request = PrivacyRequest.objects.get(pk=request.pk)
    assert "Toegangslog: wordt bewaard (NEN 7513: minstens 5 jaar)" in request.erasure_report
