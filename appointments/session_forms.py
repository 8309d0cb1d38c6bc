"""Forms for group sessions. Date and time are separate fields; together
they become a moment with Amsterdam's rules, and a time skipped when summer
time starts gets a clear message instead of a guess."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.booking import BookingError, moment_of
from appointments.models import GroupSession
from appointments.sessions import MAX_CAPACITY, MAX_MINUTES, MIN_CAPACITY, MIN_MINUTES
from organisations.models import Location
from samenspraak.dates import ClockTimeField, WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField

MINUTES_MESSAGE = _("Kies een duur van 15 tot 480 minuten.")
CAPACITY_MESSAGE = _("Kies 1 tot 100 plaatsen.")


class GroupSessionForm(forms.Form):
    title = PlainTextField(
        label=_("Titel"),
        max_length=120,
        error_messages={
            "required": _("Geef de groepsbijeenkomst een titel."),
            "max_length": _("Maak de titel korter: hoogstens 120 tekens."),
        },
    )
    description = PlainTextArea(
        label=_("Beschrijving (niet verplicht)"),
        help_text=_("Wat gaat u doen en voor wie is het? Inwoners lezen deze tekst."),
        max_length=2000,
        required=False,
        error_messages={"max_length": _("Maak de beschrijving korter: hoogstens 2000 tekens.")},
    )
    kind = forms.ChoiceField(
        label=_("Waar is de bijeenkomst?"),
        choices=GroupSession.Kind.choices,
        widget=forms.RadioSelect,
        initial=GroupSession.Kind.FACE_TO_FACE,
        error_messages={
            "required": _("Kies of de bijeenkomst op een locatie is of online."),
            "invalid_choice": _("Kies of de bijeenkomst op een locatie is of online."),
        },
    )
    location = forms.ModelChoiceField(
        label=_("Locatie (voor een bijeenkomst op een locatie)"),
        queryset=Location.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Kies een locatie"),
        error_messages={"invalid_choice": _("Kies een locatie uit de lijst.")},
    )
    day = WorkableDateField(
        label=_("Datum"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Dit is geen datum. Vul een datum in zoals 14-03-2026."),
        },
    )
    start_time = ClockTimeField(
        label=_("Begintijd"),
        error_messages={
            "required": _("Vul een begintijd in."),
            "invalid": _("Dit is geen tijd. Vul een tijd in zoals 19:30."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Duur in minuten (15 tot 480)"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=90,
        error_messages={
            "required": MINUTES_MESSAGE,
            "invalid": MINUTES_MESSAGE,
            "min_value": MINUTES_MESSAGE,
            "max_value": MINUTES_MESSAGE,
        },
    )
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen (1 tot 100)"),
        min_value=MIN_CAPACITY,
        max_value=MAX_CAPACITY,
        initial=12,
        error_messages={
            "required": CAPACITY_MESSAGE,
            "invalid": CAPACITY_MESSAGE,
            "min_value": CAPACITY_MESSAGE,
            "max_value": CAPACITY_MESSAGE,
        },
    )

    def __init__(self, *args: Any, locations: Any, has_video_server: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        if not has_video_server:
            self.fields["kind"].help_text = _(
                "Online kan met hoogstens 6 plaatsen: dan beeldbelt de groep in Samenspraak. Voor meer plaatsen "
                "is een eigen videoserver van uw organisatie nodig. Die is nog niet ingesteld."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, wall = data.get("day"), data.get("start_time")
        if day is not None and wall is not None:
            try:
                data["starts_at"] = moment_of(day, wall)
            except BookingError as error:
                self.add_error("start_time", str(error))
        return data


class GroupSessionCancelForm(forms.Form):
    reason = PlainTextField(
        label=_("Waarom gaat de bijeenkomst niet door?"),
        help_text=_("Inwoners die zich hebben aangemeld, lezen dit in Samenspraak."),
        max_length=300,
        error_messages={
            "required": _("Schrijf kort waarom de groepsbijeenkomst niet doorgaat."),
            "max_length": _("Maak de reden korter: hoogstens 300 tekens."),
        },
    )


class GroupSessionChangeForm(GroupSessionForm):
    """Time, place and places of a planned session; the title, text and
    kind stay as residents signed up for them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "description", "kind"):
            del self.fields[name]
