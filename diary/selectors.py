"""Reads of the activity diary, scoped to one resident (reached through
``diary.access`` or as the signed-in resident).

The week view costs the same queries whatever the number of entries: the
week's entries (one query), the four weeks before summed per day (one
query) and the week's comments (one query)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from blend.selectors import residents_consenting
from diary.access import DIARY_CHANNEL
from diary.models import DiaryEntry, DiaryReminder, DiaryRule, DiaryWeekComment

EARLIER_WEEKS = 4
FREQUENT_LIMIT = 8


def week_start_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def default_balance_margin() -> int:
    return int(getattr(settings, "DIARY_BALANCE_MARGIN", 5))


def balance_margin(organisation_id: int | None) -> int:
    """How many points effort may exceed relaxation in a week before the
    week counts as skewed: the organisation's rule (``DiaryRule``), else
    ``DIARY_BALANCE_MARGIN`` (one query)."""
    if organisation_id is None:
        return default_balance_margin()
    margin = DiaryRule.objects.filter(organisation_id=organisation_id).values_list("balance_margin", flat=True).first()
    return default_balance_margin() if margin is None else int(margin)


@dataclass
class DayRow:
    day: date
    entries: list[DiaryEntry] = field(default_factory=list)
    effort: int = 0
    relaxation: int = 0
    minutes: int = 0


@dataclass
class WeekBalance:
    week_start: date
    effort: int = 0
    relaxation: int = 0
    count: int = 0
    margin: int = 5

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def is_skewed(self) -> bool:
        return self.count > 0 and self.effort - self.relaxation > self.margin


@dataclass
class DiaryWeek:
    week_start: date
    days: list[DayRow]
    total: WeekBalance
    earlier: list[WeekBalance]  # oldest first, this week last
    comments: list[DiaryWeekComment]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def previous_week(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week_start + timedelta(days=7)

    @property
    def is_skewed_two_weeks(self) -> bool:
        """Effort above relaxation by more than the margin in this week and
        the week before."""
        return len(self.earlier) >= 2 and self.earlier[-1].is_skewed and self.earlier[-2].is_skewed


def _entries(resident: User, *, include_private: bool) -> QuerySet[DiaryEntry]:
    entries = DiaryEntry.objects.filter(resident=resident)
    if not include_private:
        entries = entries.filter(is_private=False)
    return entries


def diary_week(*, resident: User, week_start: date, include_private: bool) -> DiaryWeek:
    """One week of ``resident``'s diary (four queries: the rule, the week, the
    weeks before, the comments). ``include_private``
    is for the resident only: a coach never gets private entries, in the
    list or in the sums."""
    week_end = week_start + timedelta(days=7)
    margin = balance_margin(resident.organisation_id)
    entries = _entries(resident, include_private=include_private)
    days = [DayRow(week_start + timedelta(days=n)) for n in range(7)]
    total = WeekBalance(week_start, margin=margin)
    for entry in entries.filter(day__gte=week_start, day__lt=week_end).order_by("day", "start_time", "pk"):
        row = days[(entry.day - week_start).days]
        row.entries.append(entry)
        row.effort += entry.effort
        row.relaxation += entry.relaxation
        row.minutes += entry.minutes
        total.effort += entry.effort
        total.relaxation += entry.relaxation
        total.count += 1
    first = week_start - timedelta(days=7 * EARLIER_WEEKS)
    earlier = [WeekBalance(first + timedelta(days=7 * n), margin=margin) for n in range(EARLIER_WEEKS)]
    sums = (
        entries.filter(day__gte=first, day__lt=week_start)
        .values("day")
        .annotate(effort_sum=Sum("effort"), relaxation_sum=Sum("relaxation"), entry_count=Count("pk"))
        .order_by()
    )
    for day_sum in sums:
        week = earlier[(day_sum["day"] - first).days // 7]
        week.effort += day_sum["effort_sum"]
        week.relaxation += day_sum["relaxation_sum"]
        week.count += day_sum["entry_count"]
    comments = list(DiaryWeekComment.objects.filter(resident=resident, week_start=week_start).select_related("author"))
    return DiaryWeek(week_start, days, total, [*earlier, total], comments)


def frequent_activities(*, resident: User) -> list[str]:
    """The resident's own list of what they do most (one query)."""
    rows = (
        DiaryEntry.objects.filter(resident=resident)
        .values("what")
        .annotate(times=Count("pk"))
        .order_by("-times", "what")[:FREQUENT_LIMIT]
    )
    return [row["what"] for row in rows]


def diary_entries_all(*, resident: User) -> Iterator[DiaryEntry]:
    """Every entry of the resident, oldest first (for the export), read in chunks."""
    return DiaryEntry.objects.filter(resident=resident).order_by("day", "start_time", "pk").iterator(chunk_size=1000)


def diary_comments_all(*, resident: User) -> QuerySet[DiaryWeekComment]:
    return DiaryWeekComment.objects.filter(resident=resident).select_related("author").order_by("week_start", "pk")


def diary_reminder_of(*, resident: User) -> DiaryReminder | None:
    return DiaryReminder.objects.filter(resident=resident).first()


def _week_skew(start: date) -> Coalesce:
    """Effort minus relaxation of a resident's shared entries in one week."""
    entries = (
        DiaryEntry.objects.filter(
            resident=OuterRef("pk"), is_private=False, day__gte=start, day__lt=start + timedelta(days=7)
        )
        .order_by()
        .values("resident")
        .annotate(skew=Sum(F("effort") - F("relaxation")))
        .values("skew")[:1]
    )
    return Coalesce(Subquery(entries), Value(0))


def residents_with_skewed_balance(*, residents: QuerySet[User], today: date, margin: int) -> QuerySet[User]:
    """Of ``residents``, those who share their diary and whose shared entries
    show effort above relaxation by more than ``margin`` points (the
    organisation's rule: ``balance_margin``) in this week and the week
    before (the rule of ``DiaryWeek.is_skewed_two_weeks``). A filter: no
    query of its own."""
    this_week = week_start_of(today)
    return (
        residents_consenting(residents=residents, channel=DIARY_CHANNEL)
        .annotate(
            diary_skew_this_week=_week_skew(this_week), diary_skew_last_week=_week_skew(this_week - timedelta(days=7))
        )
        .filter(diary_skew_this_week__gt=margin, diary_skew_last_week__gt=margin)
    )
