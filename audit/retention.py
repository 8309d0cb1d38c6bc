"""The access log as a record class of the retention engine
(``samenspraak/retention.py``). NEN 7513 asks to keep the log at least five
years; the organisation may choose longer.

The log is one hash chain per organisation, so entries are destroyed only as
a whole prefix of a chain (oldest first, never from the middle), through
``audit.services.access_log_truncate``, which first writes a signed anchor
from which ``verify_access_log`` then checks the chain.

Each entry past its date is a unit for the engine (``object_id``
``org:12#4711``, ``resident_id`` the resident it concerns), so the engine's
legal holds apply: ``destroy`` cuts the chain up to before the first entry
that is not among the units it was given (one that concerns a resident under
a legal hold, or one not yet past its date). It returns only the last entry
cut, so the destruction register gets one line per cut (the chain and its
last destroyed sequence; the anchor holds the count), not one per entry.

An erasure request (AVG art. 17) never destroys access-log entries: the log
is what shows who saw the resident's data (``items`` gives nothing for a
resident; ``resident_data=False``)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry
from audit.services import AccessLogTruncateRefused, access_log_first_sequence, access_log_truncate, chain_key_for
from samenspraak.retention import DueItem, RecordClass, record_class_register

logger = logging.getLogger(__name__)

RULE = "Toegangslog: bewaartermijn verstreken (NEN 7513)"


def entry_ref(chain_key: str, sequence: int) -> str:
    return f"{chain_key}#{sequence}"


def access_log_pending(*, organisation_id: int, before: datetime) -> int:
    return AccessLogEntry.objects.filter(chain_key=chain_key_for(organisation_id), occurred_at__lt=before).count()


def access_log_items(
    *, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None
) -> list[DueItem]:
    """The organisation's entries that occurred before ``before``. One query.
    Nothing for an erasure request (``resident_ids``) or without a date."""
    if before is None or resident_ids is not None:
        return []
    chain_key = chain_key_for(organisation_id)
    rows = (
        AccessLogEntry.objects.filter(chain_key=chain_key, occurred_at__lt=before)
        .order_by("sequence")
        .values_list("sequence", "subject_id", "occurred_at")
    )
    return [
        DueItem(object_id=entry_ref(chain_key, sequence), resident_id=subject_id, reference_at=occurred_at)
        for sequence, subject_id, occurred_at in rows
    ]


def access_log_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Cut the organisation's chain up to before the first entry that is not
    in ``object_ids``; return the id of the last entry cut (or nothing)."""
    chain_key = chain_key_for(organisation_id)
    allowed = set(object_ids)
    first = access_log_first_sequence(chain_key=chain_key)
    through = first - 1
    while entry_ref(chain_key, through + 1) in allowed:
        through += 1
    if through < first:
        return []
    try:
        anchor = access_log_truncate(chain_key=chain_key, through=through, rule=RULE)
    except AccessLogTruncateRefused:
        # The chain is not intact: keep everything (the evidence) and let
        # verify_access_log report it; the other classes are still purged.
        logger.exception("Access log of %s not cut", chain_key)
        return []
    return [entry_ref(chain_key, anchor.sequence)] if anchor is not None else []


def register() -> None:
    record_class_register(
        RecordClass(
            code="access_log",
            label=_("Toegangslog"),
            rule=_("na het moment van de toegang"),
            order=60,
            unit="years",
            default=5,
            legal_minimum=5,
            legal_basis=_("NEN 7513: minstens 5 jaar"),
            items=access_log_items,
            destroy=access_log_destroy,
            resident_data=False,
        )
    )
