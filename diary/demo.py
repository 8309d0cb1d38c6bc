"""A diary for the demo resident, for ``make run``: three weeks of
activities (one private), shared with the coach, and a comment from them."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from accounts.models import User
from blend.services import channel_consent_set
from diary.selectors import week_start_of
from diary.services import EntryData, diary_comment_add, diary_entry_add

# (what, start, minutes, effort, relaxation)
DAYS = [
    [("Boodschappen doen", time(10, 0), 45, 4, 2), ("Wandelen in het park", time(15, 0), 30, 2, 5)],
    [("Post sorteren", time(9, 30), 60, 5, 1)],
    [("Koffie met de buurvrouw", time(11, 0), 90, 1, 4), ("Koken", time(17, 30), 45, 3, 3)],
    [("Naar de schuldhulp", time(13, 0), 120, 5, 1)],
    [("Wandelen in het park", time(15, 0), 45, 2, 5)],
    [("Op de kleinkinderen passen", time(10, 0), 180, 4, 3)],
    [("Uitrusten met muziek", time(14, 0), 60, 1, 5)],
]


def demo_diary_create(*, resident: User, worker: User) -> None:
    today = timezone.localdate()
    first = week_start_of(today) - timedelta(days=14)
    day = first
    while day <= today:
        for what, start, minutes, effort, relaxation in DAYS[day.weekday()]:
            diary_entry_add(
                resident=resident,
                added_by=resident,
                data=EntryData(what, day, start, minutes, effort, relaxation, mood=3 + (day.day % 3) // 2),
            )
        day += timedelta(days=1)
    diary_entry_add(
        resident=resident,
        added_by=resident,
        data=EntryData("Gesprek met mijn zus", today, time(20, 0), 30, 3, 2, note="Alleen voor mij.", is_private=True),
    )
    channel_consent_set(resident=resident, channel="diary", is_given=True, recorded_by=resident)
    diary_comment_add(
        resident=resident,
        week_start=first,
        author=worker,
        text="Fijn dat u zo vaak wandelt. Het gesprek bij de schuldhulp kostte veel energie; plan daarna iets rustigs.",
    )
