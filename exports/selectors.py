"""Reads of a resident's exports."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from exports.models import DataExport

SHOWN = 5


def exports_of(*, resident: User) -> QuerySet[DataExport]:
    """The resident's latest exports, newest first (the caller has the
    resident through the policy)."""
    return DataExport.objects.filter(resident=resident).order_by("-requested_at", "-id")[:SHOWN]
