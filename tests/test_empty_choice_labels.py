"""No select list shows Django's untranslated "---------" as its empty choice:
every single-choice field from the database names its empty option in Dutch."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from django import forms
from django.apps import apps
from django.db.models.fields import BLANK_CHOICE_DASH

from appointments.forms import AvailabilityForm
from organisations.forms import StaffInviteForm
from organisations.models import Location, Team

REPOSITORY = Path(__file__).resolve().parents[1]
DJANGO_DASH = BLANK_CHOICE_DASH[0][1]


def _our_form_classes() -> list[type[forms.Form]]:
    found: list[type[forms.Form]] = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(REPOSITORY):
            continue
        for module_path in path.glob("*forms.py"):
            module = importlib.import_module(f"{config.name}.{module_path.stem}")
            found += [
                value
                for value in vars(module).values()
                if inspect.isclass(value) and issubclass(value, forms.Form) and value.__module__ == module.__name__
            ]
    return found


def test_the_scan_finds_the_forms() -> None:
    names = {form.__name__ for form in _our_form_classes()}

    assert {"HandoverForm", "AccountForm", "AddMemberForm", "ProposeForm"} <= names


def test_no_single_choice_field_keeps_djangos_dashes() -> None:
    offenders = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _our_form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, forms.ModelMultipleChoiceField)
        and field.empty_label == DJANGO_DASH
    ]

    assert offenders == []


def test_an_optional_team_and_location_say_none_in_dutch(db: None) -> None:
    team_field = str(StaffInviteForm(teams=Team.objects.none())["team"])
    location_field = str(AvailabilityForm(locations=Location.objects.none())["location"])

    assert '<option value="" selected>Geen team</option>' in team_field
    assert '<option value="" selected>Geen locatie</option>' in location_field
    assert DJANGO_DASH not in team_field + location_field
