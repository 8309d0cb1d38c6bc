"""The one way to write the access log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from audit.checkpoints import Anchor, anchor_append, anchor_sign, anchors_read, checkpointed_chains, checkpoints_read
from audit.context import current_audit_context
from audit.models import AccessLogAnchor, AccessLogChain, AccessLogEntry

if TYPE_CHECKING:
    from accounts.models import User

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome


@dataclass(frozen=True)
class Access:
    """One read or change of one resident's data, or a refusal.

    ``subject`` is the resident whose data it is. An access that concerns no
    particular resident (a refusal at a role gate, a group without
    residents) has no subject; it goes in the chain of ``organisation_id``
    when given (whose data was asked for), else of the actor's organisation.
    """

    subject: User | None
    object_type: str
    object_id: str
    action: str
    outcome: str = Outcome.ALLOWED
    organisation_id: int | None = None


def chain_key_for(organisation_id: int | None) -> str:
    return f"org:{organisation_id}" if organisation_id else "platform"


def ip_address_as_stored(value: str | None) -> str | None:
    """The address as the database gives it back, so that the entry's hash
    still matches when it is read: IPv6 is stored in its short form without
    a zone ("2001:DB8:0::1%eth0" comes back as "2001:db8::1")."""
    if not value or ":" not in value:
        return value or None
    try:
        return clean_ipv6_address(value)
    except ValidationError:
        return value


# Accesses held back by ``access_log_batched`` until the batch ends.
_pending: ContextVar[list[tuple[User | None, list[Access]]] | None] = ContextVar("access_log_pending", default=None)


@contextmanager
def access_log_batched() -> Iterator[None]:
    """Write the accesses recorded inside the block as one append per actor
    when the block ends, instead of one append per call.

    For read pages that list residents in several sections (the worker's
    day): each append locks the chain head and costs a handful of queries,
    so one append per page keeps the page's query count down. Only for
    reads: a change must be logged in its own transaction, with the change.
    When the block raises, what was read before the error is still logged.
    """
    if _pending.get() is not None:  # already batching: the outer block writes
        yield
        return
    token = _pending.set([])
    try:
        yield
    finally:
        pending = _pending.get() or []
        _pending.reset(token)
        by_actor: dict[int | None, tuple[User | None, list[Access]]] = {}
        for actor, accesses in pending:
            key = actor.pk if actor is not None else None
            by_actor.setdefault(key, (actor, []))[1].extend(accesses)
        for actor, accesses in by_actor.values():
            access_log_record(actor=actor, accesses=accesses)


def access_log_record(*, actor: User | None, accesses: Iterable[Access]) -> list[AccessLogEntry]:
    """Append entries for ``accesses`` by ``actor`` to the hash chain.

    The chain head row is locked (``select_for_update``) for the length of
    the transaction, so concurrent appends to one organisation's chain queue
    up and every entry gets the next sequence number. One organisation's
    entries never block another's. Inside ``access_log_batched`` the
    accesses are held back and written when the batch ends (nothing is
    returned then).
    """
    accesses = list(accesses)
    if not accesses:
        return []
    pending = _pending.get()
    if pending is not None:
        pending.append((actor, accesses))
        return []
    context = current_audit_context()
    now = timezone.now()
    by_chain: dict[str, list[AccessLogEntry]] = {}
    for access in accesses:
        subject = access.subject
        organisation_id = subject.organisation_id if subject is not None else access.organisation_id
        if organisation_id is None and actor is not None:
            organisation_id = actor.organisation_id
        entry = AccessLogEntry(
            chain_key=chain_key_for(organisation_id),
            occurred_at=now,
            actor=actor if actor is not None and actor.pk else None,
            actor_name=(actor.full_name or actor.username) if actor is not None and actor.pk else "",
            actor_role=actor.role if actor is not None and actor.pk else "",
            actor_organisation_id=actor.organisation_id if actor is not None and actor.pk else None,
            organisation_id=organisation_id,
            subject=subject,
            object_type=access.object_type,
            object_id=str(access.object_id)[:64],
            action=access.action,
            outcome=access.outcome,
            ip_address=ip_address_as_stored(context.ip_address),
            session_ref=context.session_ref,
            request_path=context.request_path,
        )
        by_chain.setdefault(entry.chain_key, []).append(entry)

    written: list[AccessLogEntry] = []
    with transaction.atomic():
        for key in sorted(by_chain):  # a fixed order avoids lock-order deadlocks
            chain = AccessLogChain.objects.select_for_update().filter(key=key).first()
            if chain is None:  # the organisation's first entry
                AccessLogChain.objects.get_or_create(key=key)
                chain = AccessLogChain.objects.select_for_update().get(key=key)
            previous_hash = chain.last_hash
            sequence = chain.last_sequence
            entries = by_chain[key]
            for entry in entries:
                sequence += 1
                entry.sequence = sequence
                entry.previous_hash = previous_hash
                entry.entry_hash = entry.compute_hash()
                previous_hash = entry.entry_hash
            AccessLogEntry.objects.bulk_create(entries)
            AccessLogChain.objects.filter(pk=chain.pk).update(last_sequence=sequence, last_hash=previous_hash)
            written.extend(entries)
    return written


def access_log_verify(*, chain_key: str | None = None) -> list[str]:
    """Recompute every chain and hold it against its signed checkpoints;
    return a description of each break found.

    A chain must still reach every checkpointed head: the entry at that
    sequence must carry the checkpointed hash, with as many entries up to it
    as the checkpoint counted. Deleting the newest entries and rewinding the
    head row leaves an intact but shorter chain, and this is what finds it.
    """
    problems: list[str] = []
    chains = {chain.key: chain for chain in AccessLogChain.objects.all()}
    # Entries are checked even when their chain head row is gone (it has no
    # trigger), and checkpointed chains even when all their entries are gone.
    keys = (
        set(chains)
        | set(AccessLogEntry.objects.order_by().values_list("chain_key", flat=True).distinct())
        | checkpointed_chains()
    )
    if chain_key is not None:
        keys &= {chain_key}
    for key in sorted(keys):
        checkpoints, checkpoint_problems = checkpoints_read(key)
        problems.extend(checkpoint_problems)
        anchors, anchor_problems = anchors_read(key)
        problems.extend(anchor_problems)
        # The chain starts after its latest validly signed anchor (the
        # retention engine destroyed the entries before it); without one, at
        # entry 1. Entries deleted without an anchor are then missing.
        anchor = anchors[-1] if anchors else None
        wanted = {checkpoint.sequence for checkpoint in checkpoints}
        seen: dict[int, tuple[str, int]] = {}  # sequence → (hash, entries up to it)
        previous_hash = anchor.hash if anchor else "0" * 64
        expected_sequence = anchor.sequence if anchor else 0
        entries = AccessLogEntry.objects.filter(chain_key=key, sequence__gt=expected_sequence).order_by("sequence")
        for count, entry in enumerate(entries.iterator(chunk_size=2000), start=expected_sequence + 1):
            expected_sequence += 1
            if entry.sequence != expected_sequence:
                problems.append(f"{key}: entry {expected_sequence} is missing (found {entry.sequence}).")
                expected_sequence = entry.sequence
            if entry.previous_hash != previous_hash:
                problems.append(f"{key}: entry {entry.sequence} does not follow the entry before it.")
            if entry.compute_hash() != entry.entry_hash:
                problems.append(f"{key}: entry {entry.sequence} was changed after it was written.")
            if entry.sequence in wanted:
                seen[entry.sequence] = (entry.entry_hash, count)
            previous_hash = entry.entry_hash
        chain = chains.get(key)
        if chain is None:
            if expected_sequence or checkpoints:
                problems.append(f"{key}: the head of the chain is missing.")
        elif expected_sequence != chain.last_sequence or previous_hash != chain.last_hash:
            problems.append(f"{key}: the last entries of the chain are missing.")
        for checkpoint in checkpoints:
            found = seen.get(checkpoint.sequence)
            if checkpoint.sequence == 0:
                continue
            if anchor is not None and checkpoint.sequence <= anchor.sequence:
                # Destroyed under a signed anchor; at the anchor itself the
                # hashes must agree.
                if checkpoint.sequence == anchor.sequence and checkpoint.hash != anchor.hash:
                    problems.append(
                        f"{key}: entry {checkpoint.sequence} differs from the checkpoint of {checkpoint.at} "
                        "(the anchor names another hash)."
                    )
                continue
            if found is None:
                problems.append(
                    f"{key}: the chain ends at entry {expected_sequence}, but the checkpoint of "
                    f"{checkpoint.at} recorded {checkpoint.sequence} entries (entries were removed)."
                )
            elif found[0] != checkpoint.hash:
                problems.append(
                    f"{key}: entry {checkpoint.sequence} differs from the checkpoint of {checkpoint.at} "
                    "(the chain was rewritten)."
                )
            elif found[1] != checkpoint.count:
                problems.append(
                    f"{key}: {found[1]} entries up to {checkpoint.sequence}, the checkpoint of "
                    f"{checkpoint.at} counted {checkpoint.count}."
                )
    return problems


class AccessLogTruncateRefused(Exception):
    """The chain is not intact, or the cut is not a prefix of it: nothing is destroyed."""


def access_log_first_sequence(*, chain_key: str) -> int:
    """The sequence of the chain's first entry that may still exist (after
    its latest anchor)."""
    anchors, _problems = anchors_read(chain_key)
    return anchors[-1].sequence + 1 if anchors else 1


def access_log_truncate(*, chain_key: str, through: int, rule: str) -> Anchor | None:
    """Destroy the oldest entries of one chain, 1 (or the first after the
    last anchor) up to and including ``through``: the only way an entry of
    the access log is ever deleted (the retention engine, after NEN 7513's
    five years at least).

    The chain head is locked (appends wait), the chain is verified first (a
    tampered chain is not cut: that would destroy the evidence), then a
    signed anchor "the chain now starts after ``through`` whose hash was H;
    K entries were destroyed at T by ``rule``" is stored, and only then are
    the entries deleted, as one DELETE of a whole prefix. The model and the
    queryset refuse deletes, so this bypasses them explicitly; on
    PostgreSQL the trigger lets the DELETE through only while
    ``samenspraak.access_log_truncate`` is on, which is set for this
    statement only (``set_config(..., true)``: transaction-local, and
    switched off again right after). The anchor goes to the checkpoint file
    after commit. Returns the anchor, or ``None`` when there was nothing to cut.
    """
    with transaction.atomic():
        chain = AccessLogChain.objects.select_for_update().filter(key=chain_key).first()
        if chain is None:
            raise AccessLogTruncateRefused(f"{chain_key}: there is no such chain.")
        problems = access_log_verify(chain_key=chain_key)
        if problems:
            raise AccessLogTruncateRefused(f"{chain_key}: the chain is not intact: {problems[0]}")
        first = access_log_first_sequence(chain_key=chain_key)
        if through < first:
            return None
        if through > chain.last_sequence:
            raise AccessLogTruncateRefused(f"{chain_key}: the chain ends at {chain.last_sequence}, not {through}.")
        entries = AccessLogEntry.objects.filter(chain_key=chain_key, sequence__gte=first, sequence__lte=through)
        last = entries.filter(sequence=through).first()
        count = entries.count()
        if last is None or count != through - first + 1:
            raise AccessLogTruncateRefused(f"{chain_key}: entries {first} to {through} are not all there.")
        anchor = Anchor(
            chain=chain_key,
            sequence=through,
            hash=last.entry_hash,
            count=count,
            at=timezone.now().isoformat(),
            rule=rule[:300],
        )
        signer, mac = anchor_sign(anchor)
        AccessLogAnchor.objects.create(
            chain_key=chain_key,
            sequence=through,
            hash=anchor.hash,
            count=count,
            at=anchor.at,
            rule=anchor.rule,
            key_id=signer,
            mac=mac,
        )
        postgresql = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgresql:
                cursor.execute("SELECT set_config('samenspraak.access_log_truncate', 'on', true)")
            # QuerySet.delete is refused on purpose; this is the one bypass.
            # (When it fails, the rollback undoes the setting too.)
            deleted = entries._raw_delete(entries.db)
            if postgresql:
                cursor.execute("SELECT set_config('samenspraak.access_log_truncate', 'off', true)")
        if deleted != count:
            raise AccessLogTruncateRefused(f"{chain_key}: {deleted} entries deleted, {count} expected.")
        transaction.on_commit(lambda: anchor_append(anchor, mac=mac, signer=signer))
    return anchor
