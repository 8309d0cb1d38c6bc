"""Reads of the consent register. Callers reach the resident through the
policy first (``consents.access`` or the officer's getter), which logs."""

from __future__ import annotations

from accounts.models import User
from consents.models import ConsentRecord, ConsentRecordQuerySet


def consent_records_of(*, subject: User) -> ConsentRecordQuerySet:
    """Every consent record of ``subject``, newest first, with the people
    named on it (one query)."""
    return ConsentRecord.objects.filter(subject=subject).select_related("given_by", "withdrawn_by", "trusted_person")


def consent_active_exists(*, subject: User | None, kind: str, scope: str, visitor_key: str = "") -> bool:
    rows = ConsentRecord.objects.active().filter(kind=kind, scope=scope)
    if subject is not None:
        return rows.filter(subject=subject).exists()
    return rows.filter(subject__isnull=True, visitor_key=visitor_key).exists()
