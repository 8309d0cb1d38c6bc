"""Every date and time field renders its value in the HTML format.

``<input type="date">`` and ``<input type="time">`` accept only
``yyyy-mm-dd`` and ``HH:MM``. Django renders a date in the page's language
(``14-03-2026`` in Dutch), which the browser drops: the field showed empty
and saving the blend plan erased the review date. This test walks every
form class of the project, so a new form cannot bring the bug back. The
browser test ``tests/browser/test_prefilled_dates.py`` saves the real forms
unchanged and checks the database.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, time

from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from samenspraak.dates import HtmlDateInput, HtmlTimeInput

BASE = settings.BASE_DIR


def _project_forms() -> list[type[forms.BaseForm]]:
    ours = set()
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(BASE)) or "/.venv/" in str(config.path):
            continue
        ours.add(config.name.split(".")[0])
        for module in pkgutil.iter_modules([str(config.path)]):
            if module.name.endswith("forms") or module.name.endswith("views"):
                importlib.import_module(f"{config.name}.{module.name}")
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        sub: type[forms.BaseForm]
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.split(".")[0] in ours:
                found.append(sub)
    return found


def test_every_date_and_time_field_renders_the_html_format() -> None:
    checked, wrong = 0, []
    with translation.override("nl"):
        for form in _project_forms():
            for name, field in getattr(form, "base_fields", {}).items():
                widget = field.widget
                if isinstance(field, forms.DateTimeField):
                    wrong.append(f"{form.__module__}.{form.__name__}.{name}: use a date and a time field")
                    continue
                value: date | time
                kind: type[forms.Widget]
                if isinstance(field, forms.DateField):
                    value, want, kind = date(2026, 3, 14), "2026-03-14", HtmlDateInput
                elif isinstance(field, forms.TimeField):
                    value, want, kind = time(9, 5), "09:05", HtmlTimeInput
                else:
                    continue
                checked += 1
                if isinstance(widget, forms.HiddenInput):
                    continue
                rendered = widget.format_value(value)
                if rendered != want or not isinstance(widget, kind):
                    wrong.append(f"{form.__module__}.{form.__name__}.{name} renders {rendered!r}")
    assert checked >= 15, f"only {checked} date and time fields found: is the walk still finding the forms?"
    assert not wrong, wrong


def test_the_widgets_render_the_html_format_in_every_language() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            assert HtmlDateInput().format_value(date(2026, 3, 4)) == "2026-03-04"
            assert HtmlTimeInput().format_value(time(19, 30, 12)) == "19:30"
            assert 'type="date"' in HtmlDateInput().render("dag", date(2026, 3, 4))
            assert 'value="2026-03-04"' in HtmlDateInput().render("dag", date(2026, 3, 4))


def test_a_dutch_date_typed_without_the_picker_is_still_understood() -> None:
    # Browsers without a date picker send what the person typed.
    from samenspraak.dates import WorkableDateField

    with translation.override("nl"):
        field = WorkableDateField()
        assert field.clean("14-03-2026") == date(2026, 3, 14)
        assert field.clean("2026-03-14") == date(2026, 3, 14)
