from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import AppointmentKind, PartOfDay, Weekday
from organisations.models import Location
from samenspraak.dates import ClockTimeField, WorkableDateField
from samenspraak.forms import PlainTextField


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Dag"), choices=Weekday.choices, coerce=int)
    starts_at = ClockTimeField(label=_("Van"))
    ends_at = ClockTimeField(label=_("Tot"))
    kinds = forms.MultipleChoiceField(
        label=_("Soort afspraken"), choices=AppointmentKind.choices, widget=forms.CheckboxSelectMultiple
    )
    location = forms.ModelChoiceField(
        label=_("Locatie (voor gesprekken op een locatie)"),
        queryset=Location.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Geen locatie"),
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class ExceptionForm(forms.Form):
    first_day = WorkableDateField(label=_("Eerste dag"))
    last_day = WorkableDateField(label=_("Laatste dag"))
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
    day = WorkableDateField(label=_("Datum"))
    reason = PlainTextField(label=_("Reden, bijvoorbeeld Koningsdag"), max_length=120, required=False)


class ProposeForm(forms.Form):
    """A worker proposes a time to a resident (or moves an appointment)."""

    kind = forms.ChoiceField(label=_("Soort afspraak"), choices=(), widget=forms.RadioSelect)
    day = WorkableDateField(label=_("Datum"))
    time = ClockTimeField(label=_("Begintijd"))
    minutes = forms.IntegerField(label=_("Duur in minuten (10 tot 240)"), min_value=10, max_value=240, initial=45)
    location = forms.ModelChoiceField(
        label=_("Locatie (voor een gesprek op een locatie)"),
        queryset=Location.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Geen locatie"),
    )
    topic = PlainTextField(
        label=_("Onderwerp (niet verplicht; alleen zichtbaar voor u en de inwoner, nooit in e-mails)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    day = WorkableDateField(label=_("Nieuwe datum"))
    time = ClockTimeField(label=_("Nieuwe begintijd"))
    minutes = forms.IntegerField(label=_("Duur in minuten (10 tot 240)"), min_value=10, max_value=240)
    location = forms.ModelChoiceField(
        label=_("Locatie (voor een gesprek op een locatie)"),
        queryset=Location.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Geen locatie"),
    )

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        # Sent as it was filled in (the appointment's own time): moving would
        # only undo the resident's confirmation and tell them it changed.
        data = super().clean() or {}
        if not self.has_changed():
            raise forms.ValidationError(
                _("U heeft niets veranderd. Kies een nieuwe datum of tijd, of ga terug naar de afspraak."),
                code="unchanged",
            )
        return data


class CancelForm(forms.Form):
    reason = PlainTextField(
        label=_("Waarom zegt u af?"),
        help_text=_("Bijvoorbeeld: ik ben ziek. De andere persoon leest dit."),
        max_length=300,
    )


class BookTopicForm(forms.Form):
    topic = PlainTextField(
        label=_("Waar wilt u over praten? (niet verplicht)"),
        help_text=_("Alleen u en uw sociaal werker zien dit. Het staat nooit in een e-mail."),
        max_length=200,
        required=False,
    )


class RequestForm(forms.Form):
    worker = forms.ChoiceField(label=_("Met wie?"), choices=(), widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(label=_("Welke soort afspraak?"), choices=(), widget=forms.CheckboxSelectMultiple)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Welke dagen komen u goed uit?"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parts_of_day = forms.MultipleChoiceField(
        label=_("Welk deel van de dag?"), choices=PartOfDay.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = PlainTextField(
        label=_("Wilt u nog iets zeggen over wanneer het u uitkomt? (niet verplicht)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, workers: list[tuple[str, str]], kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = workers  # type: ignore[attr-defined]
        self.fields["kinds"].choices = kinds  # type: ignore[attr-defined]
        if len(workers) == 1:
            self.fields["worker"].initial = workers[0][0]
