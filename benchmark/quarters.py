"""Quarters as the benchmark names them: ``2026Q3`` (``2026K3`` and
``2026-Q3`` are read too). A quarter runs from its first day 00:00 to the
next quarter's first day 00:00, Europe/Amsterdam."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[QqKk]\s*([1-4])\s*$")


class QuarterError(ValueError):
    """A quarter that cannot be read; the message is for the person."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PATTERN.match(text or "")
        if match is None or not 2000 <= int(match.group(1)) <= 2100:
            raise QuarterError(
                _("Onbekend kwartaal “%(text)s”. Schrijf het zo: 2026Q3 (jaar, de letter Q en het kwartaal 1 tot 4).")
                % {"text": (text or "")[:20]}
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return _("%(number)se kwartaal %(year)s") % {"number": self.number, "year": self.year}

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=AMSTERDAM)

    @property
    def ends(self) -> datetime:
        return self.next.starts
