"""The one way to write the access log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from audit.context import current_audit_context
from audit.models import AccessLogChain, AccessLogEntry

if TYPE_CHECKING:
    from accounts.models import User

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome


@dataclass(frozen=True)
class Access:
    """One read or change of one resident's data."""

    subject: User | None
    object_type: str
    object_id: str
    action: str
    outcome: str = Outcome.ALLOWED


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


def access_log_record(*, actor: User | None, accesses: Iterable[Access]) -> list[AccessLogEntry]:
    """Append entries for ``accesses`` by ``actor`` to the hash chain.

    The chain head row is locked (``select_for_update``) for the length of
    the transaction, so concurrent appends to one organisation's chain queue
    up and every entry gets the next sequence number. One organisation's
    entries never block another's.
    """
    accesses = list(accesses)
    if not accesses:
        return []
    context = current_audit_context()
    now = timezone.now()
    by_chain: dict[str, list[AccessLogEntry]] = {}
    for access in accesses:
        subject = access.subject
        organisation_id = subject.organisation_id if subject is not None else None
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
    """Recompute every chain; return a description of each break found."""
    problems: list[str] = []
    chains = {chain.key: chain for chain in AccessLogChain.objects.all()}
    # Entries are checked even when their chain head row is gone (it has no trigger).
    keys = set(chains) | set(AccessLogEntry.objects.order_by().values_list("chain_key", flat=True).distinct())
    if chain_key is not None:
        keys &= {chain_key}
    for key in sorted(keys):
        previous_hash = "0" * 64
        expected_sequence = 0
        entries = AccessLogEntry.objects.filter(chain_key=key).order_by("sequence")
        for entry in entries.iterator(chunk_size=2000):
            expected_sequence += 1
            if entry.sequence != expected_sequence:
                problems.append(f"{key}: entry {expected_sequence} is missing (found {entry.sequence}).")
                expected_sequence = entry.sequence
            if entry.previous_hash != previous_hash:
                problems.append(f"{key}: entry {entry.sequence} does not follow the entry before it.")
            if entry.compute_hash() != entry.entry_hash:
                problems.append(f"{key}: entry {entry.sequence} was changed after it was written.")
            previous_hash = entry.entry_hash
        chain = chains.get(key)
        if chain is None:
            problems.append(f"{key}: the head of the chain is missing.")
        elif expected_sequence != chain.last_sequence or previous_hash != chain.last_hash:
            problems.append(f"{key}: the last entries of the chain are missing.")
    return problems
