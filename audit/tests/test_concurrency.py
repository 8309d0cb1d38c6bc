"""Many requests logging at once for one organisation still give one
gap-free chain: the chain head is locked while an entry is appended."""

from __future__ import annotations

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from accounts.models import User
from audit.context import AuditContext, audit_context
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from conftest import Personas

THREADS = 8
APPENDS_PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_chain_give_a_gap_free_sequence_that_verifies(personas: Personas) -> None:
    workers = [personas.worker, personas.other_worker, personas.team_lead, personas.team_worker]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(index: int) -> None:
        try:
            actor = User.objects.get(pk=workers[index % len(workers)].pk)
            resident = User.objects.get(pk=personas.resident.pk)
            barrier.wait(timeout=10)
            with audit_context(AuditContext(ip_address=f"192.0.2.{index + 1}", session_ref=f"thread-{index}")):
                for _ in range(APPENDS_PER_THREAD):
                    access_log_record(
                        actor=actor, accesses=[Access(resident, "resident", str(resident.public_id), "view")]
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    entries = list(AccessLogEntry.objects.filter(organisation=personas.organisation).order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, THREADS * APPENDS_PER_THREAD + 1))
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    assert {entry.session_ref for entry in entries} == {f"thread-{index}" for index in range(THREADS)}
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_entries_of_a_new_chain_do_not_collide(personas: Personas) -> None:
    # No chain head exists yet for the foreign organisation: several threads create it at once.
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append() -> None:
        try:
            actor = User.objects.get(pk=personas.foreign_worker.pk)
            resident = User.objects.get(pk=personas.foreign_resident.pk)
            barrier.wait(timeout=10)
            access_log_record(actor=actor, accesses=[Access(resident, "resident", str(resident.public_id), "view")])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    sequences = AccessLogEntry.objects.filter(organisation=personas.foreign_organisation).values_list(
        "sequence", flat=True
    )
    assert sorted(sequences) == list(range(1, THREADS + 1))
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact" in out.getvalue()
