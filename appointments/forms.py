from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import AppointmentKind, Weekday
from organisations.models import Location
from samenspraak.forms import PlainTextField


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Dag"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Tot"), widget=forms.TimeInput(attrs={"type": "time"}))
    kinds = forms.MultipleChoiceField(
        label=_("Soort afspraken"), choices=AppointmentKind.choices, widget=forms.CheckboxSelectMultiple
    )
    location = forms.ModelChoiceField(
        label=_("Locatie (voor gesprekken op een locatie)"),
        queryset=Location.objects.none(),
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class ExceptionForm(forms.Form):
    first_day = forms.DateField(label=_("Eerste dag"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Laatste dag"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = PlainTextField(label=_("Reden (niet verplicht, alleen voor collega's)"), max_length=120, required=False)


class BookingRulesForm(forms.Form):
    slot_minutes = forms.IntegerField(
        label=_("Lengte van een afspraak (15 tot 180 minuten)"), min_value=15, max_value=180
    )
    buffer_minutes = forms.IntegerField(
        label=_("Pauze tussen afspraken (0 tot 120 minuten)"), min_value=0, max_value=120
    )
    max_per_day = forms.IntegerField(
        label=_("Hoogstens zoveel afspraken per dag (1 tot 20)"), min_value=1, max_value=20
    )


class ClosingDayForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = PlainTextField(label=_("Reden, bijvoorbeeld Koningsdag"), max_length=120, required=False)
