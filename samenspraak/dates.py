"""Dates the platform can work with.

Python's dates run from year 1 to 9999. A day at either end breaks as soon
as it becomes a moment in Amsterdam (UTC+1 on 1 January of year 1 is still
year 0) or a week or a day is added to it: ``OverflowError``, a server
error. Every date a person types, or sends in a query string, is therefore
held to years that make sense for social work: 1900 (birth dates of the
oldest residents) to 2100. Forms say so in plain Dutch; query parameters
out of range fall back to today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def is_workable_day(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def validate_workable_day(value: date) -> None:
    """A form validator: the message names the allowed years."""
    if not is_workable_day(value):
        raise ValidationError(
            _("Kies een datum tussen %(first)s en %(last)s."),
            code="date_out_of_range",
            params={
                "first": date_format(EARLIEST_DAY, "j F Y"),
                "last": date_format(LATEST_DAY, "j F Y"),
            },
        )


# The browser's date and time inputs take their value in the HTML format
# (yyyy-mm-dd, HH:MM) whatever the page's language. A value rendered in the
# Dutch format (14-03-2026) is dropped by the browser: the field shows empty
# and saving the form erases the date. So these widgets never localise.
HTML_DATE_FORMAT = "%Y-%m-%d"
HTML_TIME_FORMAT = "%H:%M"


class HtmlDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=HTML_DATE_FORMAT)


class HtmlTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=HTML_TIME_FORMAT)


class ClockTimeField(forms.TimeField):
    """A time of day in hours and minutes, in the browser's time input."""

    widget = HtmlTimeInput


class WorkableDateField(forms.DateField):
    """A date field that refuses years the platform cannot calculate with."""

    default_validators = [validate_workable_day]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", HtmlDateInput())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("min", EARLIEST_DAY.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DAY.isoformat())


def day_from_query(text: str | None, *, default: date) -> date | None:
    """``?dag=2026-03-14`` as a date; None when the text is no date or one
    outside the workable years (the caller shows ``default`` and may say so).
    An empty value is ``default`` without complaint."""
    if not text:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if is_workable_day(day) else None
