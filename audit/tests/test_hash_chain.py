"""One hash chain per organisation, and ``manage.py verify_access_log``
noticing a changed, removed or added entry."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AccessLogChain, AccessLogEntry
from audit.services import Access, access_log_record, chain_key_for
from audit.tests.tampering import drop_append_only_triggers, raw_delete, raw_update
from conftest import Personas, client_for

GENESIS = "0" * 64


def verify() -> str:
    out, err = StringIO(), StringIO()
    call_command("verify_access_log", stdout=out, stderr=err)
    return out.getvalue()


def verify_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_access_log", stdout=StringIO(), stderr=err)
    return err.getvalue()


def record_reads(personas: Personas, count: int) -> list[AccessLogEntry]:
    return access_log_record(
        actor=personas.worker,
        accesses=[Access(personas.resident, "resident", str(personas.resident.public_id), "view")] * count,
    )


def chain_of(personas: Personas) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(organisation=personas.organisation).order_by("sequence"))


def test_entries_of_one_organisation_are_numbered_1_to_n_and_each_links_to_the_one_before(
    personas: Personas,
) -> None:
    client = client_for(personas.worker)
    client.get(f"/werk/inwoners/{personas.resident.public_id}/")
    client.get(f"/werk/inwoners/{personas.other_resident.public_id}/")  # denied, still chained
    client.get("/werk/")
    record_reads(personas, 3)

    entries = chain_of(personas)

    assert [entry.sequence for entry in entries] == list(range(1, 7))
    assert entries[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    for entry in entries:
        assert entry.entry_hash == entry.compute_hash()
    assert {entry.chain_key for entry in entries} == {chain_key_for(personas.organisation.pk)}
    head = AccessLogChain.objects.get(key=chain_key_for(personas.organisation.pk))
    assert (head.last_sequence, head.last_hash) == (6, entries[-1].entry_hash)


def test_each_organisation_has_its_own_chain_starting_at_one(personas: Personas) -> None:
    record_reads(personas, 2)
    client_for(personas.foreign_worker).get(f"/werk/inwoners/{personas.foreign_resident.public_id}/")
    record_reads(personas, 1)

    ours = chain_of(personas)
    foreign = list(AccessLogEntry.objects.filter(organisation=personas.foreign_organisation))

    assert [entry.sequence for entry in ours] == [1, 2, 3]
    assert [(entry.sequence, entry.previous_hash) for entry in foreign] == [(1, GENESIS)]
    assert foreign[0].chain_key != ours[0].chain_key


def test_verify_passes_on_an_intact_log(personas: Personas) -> None:
    client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/")
    client_for(personas.foreign_worker).get(f"/werk/inwoners/{personas.resident.public_id}/")
    client_for(personas.foreign_worker).get(f"/werk/inwoners/{personas.foreign_resident.public_id}/")
    record_reads(personas, 5)

    assert verify().startswith("Access log intact: 8 entries checked.\n")


@pytest.mark.parametrize(
    ("remote_address", "stored"),
    [
        ("2001:db8::7", "2001:db8::7"),
        ("2001:DB8::7", "2001:db8::7"),
        ("2001:0db8:0000::7", "2001:db8::7"),
        ("fe80::1%eth0", "fe80::1"),  # a link-local client on the same network
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
    ],
)
def test_verify_passes_for_ipv6_clients_in_any_notation(personas: Personas, remote_address: str, stored: str) -> None:
    client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/", REMOTE_ADDR=remote_address)

    assert AccessLogEntry.objects.get().ip_address == stored
    assert "intact" in verify()


def test_verify_passes_on_an_empty_log(db: None) -> None:
    assert verify() == "Access log intact: 0 entries checked.\n"  # no chain, so none without a checkpoint


@pytest.mark.parametrize(
    ("column", "forged_value"),
    [
        ("outcome", "allowed"),  # hide a denied attempt
        ("actor_name", "Iemand Anders"),
        ("ip_address", "192.0.2.1"),
        ("object_type", "appointment"),
    ],
)
def test_verify_fails_when_a_field_of_an_entry_is_changed_in_the_database(
    personas: Personas, column: str, forged_value: str
) -> None:
    record_reads(personas, 1)
    client_for(personas.worker).get(f"/werk/inwoners/{personas.other_resident.public_id}/")  # denied
    record_reads(personas, 1)
    middle = chain_of(personas)[1]
    assert middle.outcome == "denied"
    drop_append_only_triggers()

    raw_update(middle, **{column: forged_value})

    assert getattr(AccessLogEntry.objects.get(pk=middle.pk), column) == forged_value
    errors = verify_fails()
    assert f"entry {middle.sequence} was changed after it was written" in errors


def test_verify_fails_when_the_timestamp_of_an_entry_is_moved(personas: Personas) -> None:
    entries = record_reads(personas, 3)
    drop_append_only_triggers()

    raw_update(entries[0], occurred_at=entries[2].occurred_at.replace(year=2020))

    assert "entry 1 was changed after it was written" in verify_fails()


def test_verify_fails_when_an_entry_is_deleted_from_the_middle_of_the_chain(personas: Personas) -> None:
    entries = record_reads(personas, 5)
    drop_append_only_triggers()

    raw_delete(entries[2])

    assert AccessLogEntry.objects.count() == 4
    errors = verify_fails()
    assert "entry 3 is missing" in errors
    assert "entry 4 does not follow the entry before it" in errors


def test_verify_fails_when_the_last_entry_is_deleted(personas: Personas) -> None:
    entries = record_reads(personas, 3)
    drop_append_only_triggers()

    raw_delete(entries[-1])

    assert "the last entries of the chain are missing" in verify_fails()


def test_verify_fails_when_a_recomputed_entry_is_slipped_into_the_chain(personas: Personas) -> None:
    # A forger who knows the hash recipe rewrites one entry and its hash;
    # the next entry no longer follows it.
    entries = record_reads(personas, 3)
    forged = AccessLogEntry.objects.get(pk=entries[1].pk)
    forged.outcome = "denied"
    drop_append_only_triggers()

    raw_update(forged, outcome="denied", entry_hash=forged.compute_hash())

    errors = verify_fails()
    assert "entry 3 does not follow the entry before it" in errors
    assert "entry 2 was changed" not in errors


def test_verify_of_one_chain_ignores_a_broken_other_chain(personas: Personas) -> None:
    entries = record_reads(personas, 2)
    client_for(personas.foreign_worker).get(f"/werk/inwoners/{personas.foreign_resident.public_id}/")
    drop_append_only_triggers()
    raw_update(entries[0], actor_name="Iemand Anders")

    out = StringIO()
    call_command("verify_access_log", chain=chain_key_for(personas.foreign_organisation.pk), stdout=out)

    assert "intact" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_access_log", chain=chain_key_for(personas.organisation.pk), stderr=StringIO())


def test_verify_still_checks_the_entries_when_the_chain_head_row_is_deleted(personas: Personas) -> None:
    # The chain head has no trigger; removing it must not make a changed entry invisible.
    entries = record_reads(personas, 3)
    drop_append_only_triggers()
    raw_update(entries[1], actor_name="Iemand Anders")

    AccessLogChain.objects.filter(key=entries[1].chain_key).delete()

    errors = verify_fails()
    assert "entry 2 was changed after it was written" in errors
    assert "the head of the chain is missing" in errors
