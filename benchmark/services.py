"""Computing the benchmark of a quarter: the true figures per organisation
come from the capabilities' own aggregate selectors (grouped queries in the
database, a fixed number whatever the data's size), go through the
disclosure rules (``benchmark/disclosure.py``) and are stored as published
cells. Pages and exports read only what is stored."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from appointments.selectors import appointment_figures_per_organisation
from benchmark.disclosure import Kind, Publication, RawCell, keyed_noise, publish
from benchmark.metrics import AGE_GROUPS, APPOINTMENT_KINDS, EXPERIENCE_CHANNELS
from benchmark.models import (
    BenchmarkCell,
    BenchmarkGroupFigure,
    BenchmarkNaming,
    BenchmarkParticipant,
    BenchmarkPeriod,
)
from benchmark.quarters import Quarter
from blend.selectors import online_blend_counts_per_age_band, online_blend_counts_per_organisation
from casefiles.selectors import case_figures_per_organisation, residents_supported_between
from feedback.selectors import experience_figures_per_organisation
from messaging.selectors import (
    consultation_figures_per_organisation,
    consultation_wait_percentile,
    message_figures_per_organisation,
)
from organisations.models import Organisation
from outcomes.selectors import domain_changes_per_organisation


class BenchmarkError(Exception):
    """A refusal; the message is for the person, in Dutch."""


def noise_secret() -> bytes:
    """The key of the cells' noise, derived from the project's secret key:
    without it nobody can tell which perturbation a cell got."""
    return hashlib.sha256(b"samenspraak-benchmark-noise:" + settings.SECRET_KEY.encode()).digest()


def _minutes(wait: float | None) -> int:
    return round(wait) if wait is not None else 0


def benchmark_raw_cells(*, quarter: Quarter, organisation_ids: Iterable[int]) -> tuple[list[RawCell], dict[str, str]]:
    """Every organisation's true figures of ``quarter`` (a full grid: a
    figure an organisation has no data for is a cell resting on nobody),
    and the readable label of each dimension. Eleven queries, whatever the
    number of residents, cases, appointments, messages or measurements."""
    starts, ends = quarter.starts, quarter.ends
    cases = {row["organisation_id"]: row for row in case_figures_per_organisation(starts=starts, ends=ends)}
    supported: Any = residents_supported_between(starts=starts, ends=ends)
    online = online_blend_counts_per_organisation(residents=supported)
    by_age = online_blend_counts_per_age_band(residents=supported, year=quarter.year)
    appointments = {
        (row["organisation_id"], row["kind"] or "all"): row
        for row in appointment_figures_per_organisation(starts=starts, ends=ends)
    }
    messages = {row["organisation_id"]: row for row in message_figures_per_organisation(starts=starts, ends=ends)}
    chats = {row["organisation_id"]: row for row in consultation_figures_per_organisation(starts=starts, ends=ends)}
    p50 = consultation_wait_percentile(starts=starts, ends=ends, fraction=0.5)
    p90 = consultation_wait_percentile(starts=starts, ends=ends, fraction=0.9)
    changes = domain_changes_per_organisation(residents=supported)
    experiences = {
        (row["organisation_id"], row["channel"]): row
        for row in experience_figures_per_organisation(starts=starts, ends=ends)
    }
    labels: dict[str, str] = {code: str(label) for code, label in APPOINTMENT_KINDS.items()}
    labels.update({code: str(label) for code, label in AGE_GROUPS.items()})
    labels.update({f"experience_{code}": str(label) for code, label in EXPERIENCE_CHANNELS.items()})
    domains: dict[str, int] = {}
    by_domain: dict[tuple[int, str], dict[str, Any]] = {}
    for row in changes:
        domains.setdefault(row["item__domain"], row["order"])
        labels.setdefault(row["item__domain"], row["label"])
        by_domain[(row["organisation_id"], row["item__domain"])] = row
    cells: list[RawCell] = []
    for organisation_id in organisation_ids:
        case = cases.get(organisation_id, {})
        count = case.get("supported", 0)

        def add(metric: str, kind: Kind, residents: int, total: int, dimension: str = "", **extra: Any) -> None:
            cells.append(RawCell(organisation_id, metric, dimension, kind, residents, total, **extra))  # noqa: B023

        add("residents_supported", Kind.COUNT, count, count)
        add("cases_opened", Kind.COUNT, case.get("opened_residents", 0), case.get("opened", 0))
        add("cases_closed", Kind.COUNT, case.get("closed_residents", 0), case.get("closed", 0))
        add("online_blend_share", Kind.SHARE, count, online.get(organisation_id, 0), denominator=count)
        # Per age band; the bands add up to all residents supported, so they
        # form an additive group with "all" (secondary suppression).
        age_all = {"residents": 0, "online": 0}
        for dimension in AGE_GROUPS:
            band = dimension.removeprefix("age_")
            row = by_age.get((organisation_id, band), {}) if band != "all" else age_all
            if band != "all":
                age_all = {key: age_all[key] + row.get(key, 0) for key in age_all}
            add(
                "online_use_by_age_group",
                Kind.SHARE,
                row.get("residents", 0),
                row.get("online", 0),
                dimension,
                denominator=row.get("residents", 0),
                group="online_use_by_age_group",
                is_total=band == "all",
            )
        for kind in APPOINTMENT_KINDS:
            row = appointments.get((organisation_id, kind), {})
            add(
                "appointments",
                Kind.COUNT,
                row.get("residents", 0),
                row.get("count", 0),
                kind,
                group="appointments",
                is_total=kind == "all",
            )
        message = messages.get(organisation_id, {})
        add("messages", Kind.COUNT, message.get("residents", 0), message.get("count", 0))
        chat = chats.get(organisation_id, {})
        add("consultation_chats", Kind.COUNT, chat.get("visitors", 0), chat.get("count", 0))
        waited = chat.get("picked_up_visitors", 0)
        add("consultation_wait_p50", Kind.MINUTES, waited, _minutes(p50.get(organisation_id)))
        add("consultation_wait_p90", Kind.MINUTES, waited, _minutes(p90.get(organisation_id)))
        for kind in APPOINTMENT_KINDS:
            row = appointments.get((organisation_id, kind), {})
            add(
                "no_show_rate",
                Kind.SHARE,
                row.get("residents", 0),
                row.get("no_shows", 0),
                kind,
                denominator=row.get("count", 0),
            )
        for domain in sorted(domains, key=lambda code: domains[code]):
            row = by_domain.get((organisation_id, domain), {})
            add("zrm_change", Kind.AVERAGE, row.get("residents", 0), row.get("total") or 0, domain)
        # The experience survey (``feedback``): shares of the answers given
        # in the quarter, per channel, resting on the residents who answered.
        for channel in EXPERIENCE_CHANNELS:
            row = experiences.get((organisation_id, channel), {})
            for metric, numerator in (("experience_good_share", "good"), ("experience_again_share", "again_yes")):
                add(
                    metric,
                    Kind.SHARE,
                    row.get("residents", 0),
                    row.get(numerator, 0),
                    f"experience_{channel}",
                    denominator=row.get("answers", 0),
                )
    return cells, labels


def _letters(quarter: Quarter, organisation_ids: list[int]) -> dict[int, str]:
    """A letter per organisation, shuffled per quarter by a keyed hash."""
    secret = noise_secret()

    def order(organisation_id: int) -> bytes:
        return hmac.new(secret, f"letter|{quarter}|{organisation_id}".encode(), hashlib.sha256).digest()

    letters = {}
    for index, organisation_id in enumerate(sorted(organisation_ids, key=order)):
        letter = chr(ord("A") + index % 26)
        letters[organisation_id] = letter if index < 26 else f"{letter}{index // 26 + 1}"
    return letters


@transaction.atomic
def benchmark_compute(*, quarter: Quarter, now: datetime | None = None) -> BenchmarkPeriod:
    """Compute and store the benchmark of ``quarter``.

    A quarter that has ended is published once, final, with group figures;
    asking again is refused (two publications of one quarter could be
    compared to find one resident). The running quarter is computed again
    each time, replacing the last, and gets no group figures: each
    organisation sees only its own. A quarter that has not begun is refused.
    """
    now = now or timezone.now()
    if quarter.starts > now:
        raise BenchmarkError(_("Het %(quarter)s is nog niet begonnen.") % {"quarter": quarter.label})
    is_final = quarter.ends <= now
    period = BenchmarkPeriod.objects.select_for_update().filter(quarter=str(quarter)).first()
    if period is not None and period.is_final:
        raise BenchmarkError(
            _("De benchmark van het %(quarter)s is al gepubliceerd en wordt niet opnieuw berekend.")
            % {"quarter": quarter.label}
        )
    if period is None:
        period = BenchmarkPeriod(quarter=str(quarter), starts_on=quarter.first_day, ends_on=quarter.next.first_day)
    else:
        period.cells.all().delete()
        period.group_figures.all().delete()
        period.participants.all().delete()
    period.is_final = is_final
    period.computed_at = now
    period.save()
    organisation_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    raw_cells, labels = benchmark_raw_cells(quarter=quarter, organisation_ids=organisation_ids)
    publication = publish(raw_cells, noise=keyed_noise(noise_secret()))
    _store(period, publication, labels, organisation_ids, quarter=quarter)
    return period


def _store(
    period: BenchmarkPeriod,
    publication: Publication,
    labels: dict[str, str],
    organisation_ids: list[int],
    *,
    quarter: Quarter,
) -> None:
    letters = _letters(quarter, organisation_ids)
    BenchmarkParticipant.objects.bulk_create(
        BenchmarkParticipant(period=period, organisation_id=organisation_id, letter=letters[organisation_id])
        for organisation_id in organisation_ids
    )
    BenchmarkCell.objects.bulk_create(
        BenchmarkCell(
            period=period,
            organisation_id=cell.organisation_id,
            metric=cell.metric,
            dimension=cell.dimension,
            value=cell.value,
            suppression=cell.suppression.value,
        )
        for cell in publication.cells
    )
    BenchmarkGroupFigure.objects.bulk_create(
        BenchmarkGroupFigure(
            period=period,
            metric=group.metric,
            dimension=group.dimension,
            dimension_label=labels.get(group.dimension, "")[:200],
            position=position,
            organisations=group.organisations if period.is_final else 0,
            lower_quartile=group.lower_quartile if period.is_final else None,
            median=group.median if period.is_final else None,
            upper_quartile=group.upper_quartile if period.is_final else None,
        )
        for position, group in enumerate(publication.groups)
    )


@transaction.atomic
def benchmark_naming_set(*, organisation: Organisation, is_named: bool, changed_by: User) -> BenchmarkNaming:
    """The organisation's choice to be named to the others in the benchmark."""
    naming, _created = BenchmarkNaming.objects.select_for_update().get_or_create(organisation=organisation)
    naming.is_named = is_named
    naming.updated_by = changed_by
    naming.save(update_fields=["is_named", "updated_by", "updated_at"])
    return naming
