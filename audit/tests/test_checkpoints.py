"""Signed checkpoints anchor each chain head outside the database, so that
cutting off the newest entries and rewinding the head is found."""

from __future__ import annotations

import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from audit.checkpoints import checkpoint_file
from audit.models import AccessLogChain, AccessLogEntry
from audit.services import Access, access_log_record, chain_key_for
from audit.tests.tampering import drop_append_only_triggers, raw_delete
from conftest import Personas


def record_reads(personas: Personas, count: int) -> list[AccessLogEntry]:
    return access_log_record(
        actor=personas.worker,
        accesses=[Access(personas.resident, "resident", str(personas.resident.public_id), "view")] * count,
    )


def checkpoint() -> str:
    out = StringIO()
    call_command("checkpoint_access_log", stdout=out)
    return out.getvalue()


def verify() -> str:
    out = StringIO()
    call_command("verify_access_log", stdout=out, stderr=StringIO())
    return out.getvalue()


def verify_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_access_log", stdout=StringIO(), stderr=err)
    return err.getvalue()


def cut_off_tail(entries: list[AccessLogEntry], keep: int) -> None:
    """What someone with write access to the database does: delete the
    newest rows and set the chain head back to the last one kept."""
    drop_append_only_triggers()
    for entry in entries[keep:]:
        raw_delete(entry)
    AccessLogChain.objects.filter(key=entries[0].chain_key).update(
        last_sequence=entries[keep - 1].sequence, last_hash=entries[keep - 1].entry_hash
    )


def our_file(personas: Personas) -> Path:
    return checkpoint_file(chain_key_for(personas.organisation.pk))


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_cut_off_tail_after_a_checkpoint_fails_verification(personas: Personas) -> None:
    entries = record_reads(personas, 5)
    checkpoint()

    cut_off_tail(entries, keep=3)

    errors = verify_fails()
    assert "the chain ends at entry 3" in errors
    assert "recorded 5 entries" in errors


def test_a_rewritten_tail_of_the_same_length_fails_verification(personas: Personas) -> None:
    entries = record_reads(personas, 5)
    checkpoint()
    cut_off_tail(entries, keep=3)

    record_reads(personas, 2)  # new entries 4 and 5 chained properly, but not the checkpointed ones

    assert "entry 5 differs from the checkpoint" in verify_fails()


def test_removing_all_entries_and_the_head_fails_verification(personas: Personas) -> None:
    entries = record_reads(personas, 2)
    checkpoint()
    drop_append_only_triggers()

    for entry in entries:
        raw_delete(entry)
    AccessLogChain.objects.filter(key=entries[0].chain_key).delete()

    errors = verify_fails()
    assert "the chain ends at entry 0" in errors
    assert "the head of the chain is missing" in errors


def test_growth_after_a_checkpoint_passes(personas: Personas) -> None:
    record_reads(personas, 3)
    checkpoint()
    record_reads(personas, 4)
    assert "intact: 7 entries" in verify()

    checkpoint()
    record_reads(personas, 1)

    assert "intact: 8 entries" in verify()
    assert [line["sequence"] for line in lines_of(our_file(personas))] == [3, 7]


def test_a_changed_checkpoint_line_fails_verification(personas: Personas) -> None:
    entries = record_reads(personas, 5)
    checkpoint()
    path = our_file(personas)
    [line] = lines_of(path)
    # Someone who rewinds the chain and the checkpoint alike, without the key.
    cut_off_tail(entries, keep=3)
    line.update(sequence=3, count=3, hash=entries[2].entry_hash)
    path.write_text(json.dumps(line) + "\n")

    errors = verify_fails()
    assert "line 1 does not carry a valid signature" in errors


def test_a_line_signed_with_another_key_fails_and_names_the_key(personas: Personas, settings: Any) -> None:
    record_reads(personas, 2)
    settings.ACCESS_LOG_CHECKPOINT_KEY = "een-andere-sleutel"
    checkpoint()

    settings.ACCESS_LOG_CHECKPOINT_KEY = ""

    assert "(signed with key" in verify_fails()


def test_an_unreadable_line_fails_verification(personas: Personas) -> None:
    record_reads(personas, 1)
    checkpoint()
    with our_file(personas).open("a") as handle:
        handle.write("{niet af\n")

    assert "line 2 cannot be read" in verify_fails()


def test_a_line_copied_from_another_chain_fails(personas: Personas) -> None:
    record_reads(personas, 1)
    access_log_record(
        actor=personas.foreign_worker,
        accesses=[Access(personas.foreign_resident, "resident", str(personas.foreign_resident.public_id), "view")],
    )
    checkpoint()
    foreign = checkpoint_file(chain_key_for(personas.foreign_organisation.pk))

    with our_file(personas).open("a") as handle:
        handle.write(foreign.read_text())

    assert "belongs to chain" in verify_fails()


def test_checkpoints_are_appended_one_file_per_organisation_readable_by_the_owner_only(
    personas: Personas, checkpoint_dir: Path
) -> None:
    record_reads(personas, 2)
    access_log_record(
        actor=personas.foreign_worker,
        accesses=[Access(personas.foreign_resident, "resident", str(personas.foreign_resident.public_id), "view")],
    )

    out = checkpoint()
    checkpoint()

    assert "2 checkpoint(s) written" in out
    assert sorted(path.name for path in checkpoint_dir.iterdir()) == sorted(
        [our_file(personas).name, checkpoint_file(chain_key_for(personas.foreign_organisation.pk)).name]
    )
    lines = lines_of(our_file(personas))
    assert len(lines) == 2
    assert {key for key in lines[0]} == {"chain", "organisation_id", "sequence", "hash", "count", "at", "key_id", "mac"}
    assert (lines[0]["organisation_id"], lines[0]["sequence"], lines[0]["count"]) == (personas.organisation.pk, 2, 2)
    assert stat.S_IMODE(our_file(personas).stat().st_mode) == 0o600


def test_a_head_that_disagrees_with_its_entries_is_not_checkpointed(personas: Personas) -> None:
    entries = record_reads(personas, 3)
    drop_append_only_triggers()
    raw_delete(entries[-1])  # the head still names entry 3

    with pytest.raises(CommandError, match="disagrees"):
        call_command("checkpoint_access_log", stdout=StringIO(), stderr=StringIO())

    assert not our_file(personas).exists()


def test_verify_names_the_chains_without_a_checkpoint(personas: Personas) -> None:
    record_reads(personas, 1)

    assert f"No checkpoint yet for: {chain_key_for(personas.organisation.pk)}" in verify()
    checkpoint()
    assert "No checkpoint yet" not in verify()


@pytest.fixture
def checkpoint_storage(settings: Any, tmp_path: Path) -> Path:
    """A second, separate place for checkpoints (in production the private
    S3 bucket, ideally with object lock); a directory storage stands in."""
    location = tmp_path / "bucket"
    settings.STORAGES = {
        **settings.STORAGES,
        "checkpoints": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }
    settings.ACCESS_LOG_CHECKPOINT_STORAGE = "checkpoints"
    return location


def test_the_storage_copy_still_catches_a_cut_off_tail_when_the_local_file_is_gone(
    personas: Personas, checkpoint_storage: Path
) -> None:
    entries = record_reads(personas, 5)
    checkpoint()
    stored = list(checkpoint_storage.rglob("*.json"))
    assert len(stored) == 1

    # Someone with the database and the machine's files: the local line goes too.
    our_file(personas).unlink()
    cut_off_tail(entries, keep=3)

    assert "recorded 5 entries" in verify_fails()


def test_each_checkpoint_is_its_own_object_and_growth_passes(personas: Personas, checkpoint_storage: Path) -> None:
    record_reads(personas, 2)
    checkpoint()
    record_reads(personas, 2)
    checkpoint()
    record_reads(personas, 1)

    assert len(list(checkpoint_storage.rglob("*.json"))) == 2
    assert "intact: 5 entries" in verify()


def test_a_changed_object_in_the_storage_fails_verification(personas: Personas, checkpoint_storage: Path) -> None:
    record_reads(personas, 2)
    checkpoint()
    [stored] = checkpoint_storage.rglob("*.json")
    record = json.loads(stored.read_text())

    stored.write_text(json.dumps({**record, "count": 1}))

    assert "does not carry a valid signature" in verify_fails()
