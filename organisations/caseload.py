"""What the capabilities add to a worker's caseload: counts per resident.

The caseload is tenancy (``organisations``); what is new for a resident lives
in the capabilities above it (comments and corrections in the case file,
chat messages, the blend plan's review date). The caseload must not import
them, so each capability registers a provider in its ``AppConfig.ready``:
a function of the worker that returns query annotations per resident
(correlated subqueries on ``OuterRef("pk")``, so the page keeps a fixed number
of queries however long the caseload), and which of them count as "new from
the resident". The caseload selector applies every provider in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User


@dataclass(frozen=True)
class CaseloadCounts:
    """``annotations(worker)`` returns ``{name: expression}``, applied in
    order (a later one may refer to an earlier one); the names in ``unread``
    are added up into the caseload's "new from the resident"."""

    name: str
    order: int
    annotations: Callable[[User], dict[str, Any]]
    unread: tuple[str, ...] = ()


_providers: dict[str, CaseloadCounts] = {}


def caseload_counts_register(counts: CaseloadCounts) -> None:
    _providers[counts.name] = counts


def caseload_counts_providers() -> list[CaseloadCounts]:
    return sorted(_providers.values(), key=lambda counts: (counts.order, counts.name))


def caseload_annotate(residents: QuerySet[User], *, worker: User) -> QuerySet[User]:
    """``residents`` with every provider's annotations and ``unread``."""
    unread_parts: list[str] = []
    for counts in caseload_counts_providers():
        for name, expression in counts.annotations(worker).items():
            residents = residents.annotate(**{name: expression})
        unread_parts.extend(counts.unread)
    total: Any = Value(0)
    for name in unread_parts:
        total = total + Coalesce(name, Value(0))
    return residents.annotate(unread=total)


def count_per_resident(queryset: QuerySet[Any], resident_field: str) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` for the resident of the outer row
    (0 when nothing matches); ``queryset`` is already filtered on
    ``<resident_field>=OuterRef("pk")``."""
    return Coalesce(
        Subquery(queryset.order_by().values(resident_field).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
    )


def caseload_attention_changed(resident_id: int | None) -> None:
    """What a resident did or got may change what waits for their workers
    (and those workers' team leads): after commit, their open pages get new
    counts (samenspraak/attention.py). One query."""
    if resident_id is None:
        return
    from django.db.models import Q

    from accounts.models import Role
    from samenspraak.attention import attention_changed

    workers = User.objects.filter(caseload_assignments__resident_id=resident_id)
    people = User.objects.filter(
        Q(pk__in=workers.values("pk")) | Q(role=Role.TEAM_LEAD, team_id__in=workers.values("team_id"))
    ).values_list("public_id", flat=True)
    attention_changed(list(people))
