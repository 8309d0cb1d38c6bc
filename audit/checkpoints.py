"""Signed checkpoints of the access log's chain heads, kept outside the database.

The hash chain shows that no entry was changed, removed or inserted in the
middle, but someone with write access to the database can delete the newest
entries and set the chain head back: the shorter chain is still intact. A
checkpoint anchors the head somewhere else. ``manage.py
checkpoint_access_log`` appends one signed line per chain (organisation,
last sequence, last hash, number of entries, time) to a JSON-lines file in
``ACCESS_LOG_CHECKPOINT_DIR``, opened in append mode only. ``manage.py
verify_access_log`` then fails when a chain no longer reaches a head that was
checkpointed, or when a checkpoint line was altered.

When ``ACCESS_LOG_CHECKPOINT_STORAGE`` names a storage (by default the
private S3 bucket when one is configured), each checkpoint is also saved
there as an object of its own, and verification reads both places.

The signature is an HMAC-SHA256 with ``ACCESS_LOG_CHECKPOINT_KEY`` (or, when
that is not set, a key derived from ``SECRET_KEY``), so a database user who
rewinds the chain cannot write a matching checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from audit.models import AccessLogAnchor, AccessLogChain, AccessLogEntry

SIGNED_FIELDS = ("chain", "organisation_id", "sequence", "hash", "count", "at")
DERIVATION_LABEL = b"samenspraak access-log checkpoint v1"


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    organisation_id: int | None
    sequence: int
    hash: str
    count: int
    at: str
    line: int = 0  # where it was read, for messages; not signed

    def signed_part(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SIGNED_FIELDS}


class CheckpointError(Exception):
    """A chain head that cannot be checkpointed: it does not match its entries."""


def checkpoint_key() -> bytes:
    own = getattr(settings, "ACCESS_LOG_CHECKPOINT_KEY", "")
    if own:
        return str(own).encode()
    # Derived, so the raw SECRET_KEY is never the MAC key of something stored.
    return hmac.new(str(settings.SECRET_KEY).encode(), DERIVATION_LABEL, hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """A short fingerprint of the key, so an operator can tell which key
    signed a line (e.g. after a key change) without revealing it."""
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:8]


def checkpoint_signature(fields: dict[str, Any], key: bytes) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(getattr(settings, "ACCESS_LOG_CHECKPOINT_DIR", "") or Path(settings.BASE_DIR) / "var" / "checkpoints")


def checkpoint_file(chain: str) -> Path:
    # "org:12" → "org-12.jsonl": one file per organisation's chain.
    return checkpoint_dir() / (chain.replace(":", "-") + ".jsonl")


def chain_from_file(path: Path) -> str:
    stem = path.name.removesuffix(".jsonl")
    return stem.replace("-", ":", 1) if stem.startswith("org-") else stem


def organisation_of(chain: str) -> int | None:
    return int(chain.removeprefix("org:")) if chain.startswith("org:") else None


STORAGE_PREFIX = "access-log-checkpoints"


def checkpoint_storage() -> Storage | None:
    """The second place checkpoints go, when ``ACCESS_LOG_CHECKPOINT_STORAGE``
    names a storage (by default the private S3 storage when configured):
    one object per checkpoint, never overwritten; with object lock on the
    bucket not even someone with the machine's files can remove them."""
    alias = getattr(settings, "ACCESS_LOG_CHECKPOINT_STORAGE", "")
    return storages[alias] if alias else None


def _storage_folder(chain: str) -> str:
    return f"{STORAGE_PREFIX}/{checkpoint_file(chain).stem}"


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_APPEND: every write goes to the end, whatever the file offset; the
    # file is never opened for rewriting.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint_for_chain(chain: AccessLogChain, *, at: datetime) -> Checkpoint:
    """The checkpoint of one chain head, after checking the head against its
    newest entry and the number of entries (a head that already disagrees
    with its entries is not signed)."""
    # Entries up to the latest anchor were destroyed by the retention
    # engine; they still count (the count is of the whole chain).
    anchors, _problems = anchors_read(chain.key)
    anchor = anchors[-1] if anchors else None
    start = anchor.sequence if anchor else 0
    if chain.last_sequence and chain.last_sequence > start:
        last = AccessLogEntry.objects.filter(chain_key=chain.key, sequence=chain.last_sequence).first()
        if last is None or last.entry_hash != chain.last_hash:
            raise CheckpointError(f"{chain.key}: the head does not match entry {chain.last_sequence}.")
    elif anchor is not None and (chain.last_sequence != anchor.sequence or chain.last_hash != anchor.hash):
        raise CheckpointError(f"{chain.key}: the head does not match the anchor after {anchor.sequence}.")
    count = start + (
        AccessLogEntry.objects.filter(
            chain_key=chain.key, sequence__gt=start, sequence__lte=chain.last_sequence
        ).count()
    )
    if count != chain.last_sequence:
        raise CheckpointError(f"{chain.key}: {count} entries up to sequence {chain.last_sequence}.")
    return Checkpoint(
        chain=chain.key,
        organisation_id=organisation_of(chain.key),
        sequence=chain.last_sequence,
        hash=chain.last_hash,
        count=count,
        at=at.isoformat(),
    )


def access_log_checkpoint_write(*, chain_key: str | None = None) -> tuple[list[Checkpoint], list[str]]:
    """Append a signed checkpoint of every chain head (or of ``chain_key``).

    Returns the checkpoints written and the chains that were refused.
    Appends run concurrently with this; each head is read as committed, so a
    checkpoint always names an entry that exists.
    """
    key = checkpoint_key()
    at = timezone.now()
    chains = AccessLogChain.objects.order_by("key")
    if chain_key is not None:
        chains = chains.filter(key=chain_key)
    written: list[Checkpoint] = []
    refused: list[str] = []
    for chain in chains:
        try:
            checkpoint = checkpoint_for_chain(chain, at=at)
        except CheckpointError as error:
            refused.append(str(error))
            continue
        fields = checkpoint.signed_part()
        record = {**fields, "key_id": key_id(key), "mac": checkpoint_signature(fields, key)}
        line = json.dumps(record, sort_keys=True) + "\n"
        _append_line(checkpoint_file(chain.key), line)
        storage = checkpoint_storage()
        if storage is not None:
            name = f"{_storage_folder(chain.key)}/{checkpoint.sequence:012d}-{at:%Y%m%dT%H%M%S%f}.json"
            storage.save(name, ContentFile(line.encode()))
        written.append(checkpoint)
    return written, refused


def _stored_records(chain: str) -> list[tuple[str, str]]:
    """(where, raw line) of every checkpoint of ``chain``: the lines of its
    file, then the objects in the checkpoint storage."""
    records: list[tuple[str, str]] = []
    path = checkpoint_file(chain)
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            records.extend((f"{path.name} line {number}", raw) for number, raw in enumerate(handle, start=1))
    storage = checkpoint_storage()
    if storage is not None:
        folder = _storage_folder(chain)
        try:
            _folders, names = storage.listdir(folder)
        except FileNotFoundError:
            names = []
        for name in sorted(names):
            with storage.open(f"{folder}/{name}") as handle:
                records.append((f"{folder}/{name}", handle.read().decode("utf-8", errors="replace")))
    return records


def checkpoints_read(chain: str) -> tuple[list[Checkpoint], list[str]]:
    """The valid checkpoints of ``chain``, and a description of each line
    that is unreadable, unsigned, signed with another key, or names another
    chain."""
    key = checkpoint_key()
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    for number, (source, raw) in enumerate(_stored_records(chain), start=1):
        if not raw.strip():
            continue
        where = f"{chain}: checkpoint {source}"
        try:
            record = json.loads(raw)
            if isinstance(record, dict) and record.get("kind") == "anchor":
                continue  # read by anchors_read
            fields = {name: record[name] for name in SIGNED_FIELDS}
            mac = str(record["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"{where} cannot be read.")
            continue
        if not hmac.compare_digest(mac, checkpoint_signature(fields, key)):
            signer = record.get("key_id")
            other_key = f" (signed with key {signer}, not {key_id(key)})" if signer != key_id(key) else ""
            problems.append(f"{where} does not carry a valid signature{other_key}.")
            continue
        if fields["chain"] != chain:
            problems.append(f"{where} belongs to chain {fields['chain']}.")
            continue
        checkpoints.append(Checkpoint(**fields, line=number))
    return checkpoints, problems


def checkpointed_chains() -> set[str]:
    """Chains with a checkpoint file: also those whose entries are all gone."""
    directory = checkpoint_dir()
    chains = {chain_from_file(path) for path in directory.glob("*.jsonl")} if directory.is_dir() else set()
    storage = checkpoint_storage()
    if storage is not None:
        try:
            folders, _files = storage.listdir(STORAGE_PREFIX)
        except FileNotFoundError:
            folders = []
        chains |= {chain_from_file(Path(f"{folder}.jsonl")) for folder in folders}
    return chains


# --- Anchors: where a chain starts after its oldest entries were destroyed ---------------

ANCHOR_FIELDS = ("kind", "chain", "sequence", "hash", "count", "at", "rule")


@dataclass(frozen=True)
class Anchor:
    """Entries 1 to ``sequence`` of ``chain`` were destroyed (``count`` of
    them in this cut, at ``at``, by ``rule``); the last had hash ``hash``."""

    chain: str
    sequence: int
    hash: str
    count: int
    at: str
    rule: str
    kind: str = "anchor"

    def signed_part(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ANCHOR_FIELDS}


def anchor_sign(anchor: Anchor) -> tuple[str, str]:
    """(key id, MAC) of ``anchor``, with the checkpoints' key."""
    key = checkpoint_key()
    return key_id(key), checkpoint_signature(anchor.signed_part(), key)


def anchor_append(anchor: Anchor, *, mac: str, signer: str) -> None:
    """Append the signed anchor to the chain's checkpoint file (and the
    checkpoint storage), beside the checkpoints."""
    line = json.dumps({**anchor.signed_part(), "key_id": signer, "mac": mac}, sort_keys=True) + "\n"
    _append_line(checkpoint_file(anchor.chain), line)
    storage = checkpoint_storage()
    if storage is not None:
        name = f"{_storage_folder(anchor.chain)}/anchor-{anchor.sequence:012d}.json"
        storage.save(name, ContentFile(line.encode()))


def anchors_read(chain: str) -> tuple[list[Anchor], list[str]]:
    """The valid anchors of ``chain`` (from the database and from the
    checkpoint file and storage), and a description of each anchor that is
    not validly signed, names another chain, or is in the checkpoint file
    but no longer in the database."""
    key = checkpoint_key()
    valid: dict[tuple[Any, ...], Anchor] = {}
    problems: list[str] = []

    def check(where: str, fields: dict[str, Any], mac: str) -> Anchor | None:
        if fields.get("kind") != "anchor" or not hmac.compare_digest(mac, checkpoint_signature(fields, key)):
            problems.append(f"{chain}: anchor {where} does not carry a valid signature.")
            return None
        if fields["chain"] != chain:
            problems.append(f"{chain}: anchor {where} belongs to chain {fields['chain']}.")
            return None
        return Anchor(**fields)

    in_database: set[tuple[Any, ...]] = set()
    for row in AccessLogAnchor.objects.filter(chain_key=chain).order_by("sequence"):
        fields = {
            "kind": "anchor",
            "chain": row.chain_key,
            "sequence": row.sequence,
            "hash": row.hash,
            "count": row.count,
            "at": row.at,
            "rule": row.rule,
        }
        anchor = check(f"after entry {row.sequence} in the database", fields, row.mac)
        if anchor is not None:
            valid[tuple(anchor.signed_part().values())] = anchor
            in_database.add(tuple(anchor.signed_part().values()))
    for source, raw in _stored_records(chain):
        try:
            record = json.loads(raw) if raw.strip() else None
        except ValueError:
            continue  # reported by checkpoints_read
        if not isinstance(record, dict) or record.get("kind") != "anchor":
            continue
        try:
            fields = {name: record[name] for name in ANCHOR_FIELDS}
            mac = str(record["mac"])
        except (KeyError, TypeError):
            problems.append(f"{chain}: anchor {source} cannot be read.")
            continue
        anchor = check(source, fields, mac)
        if anchor is None:
            continue
        identity = tuple(anchor.signed_part().values())
        if identity not in in_database:
            problems.append(
                f"{chain}: the anchor after entry {anchor.sequence} ({source}) is missing from the database."
            )
        valid[identity] = anchor
    return sorted(valid.values(), key=lambda anchor: anchor.sequence), problems
