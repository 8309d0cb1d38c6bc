"""Forms of the privacy officer's registers and the resident's request.
Every rule has a plain Dutch message next to its field; the services check
the same rules again."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from privacy.models import RequestKind, RequestStatus
from privacy.services import BreachData, RequestData
from samenspraak.dates import ClockTimeField, WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField

# What a resident chooses from, in plain words (B1).
RESIDENT_KINDS = [
    (RequestKind.ACCESS, _("Ik wil zien welke gegevens u van mij hebt")),
    (RequestKind.CORRECTION, _("Er staat iets verkeerds over mij: ik wil dat het wordt verbeterd")),
    (RequestKind.ERASURE, _("Ik wil dat u mijn gegevens verwijdert")),
    (RequestKind.OBJECTION, _("Ik ben het niet eens met wat u met mijn gegevens doet")),
    (RequestKind.RESTRICTION, _("Ik wil dat u mijn gegevens even niet gebruikt")),
    (RequestKind.PORTABILITY, _("Ik wil mijn gegevens meenemen naar een andere organisatie")),
]


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def _moment(day: date | None, at: time | None) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class ResidentRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat wilt u?"),
        choices=RESIDENT_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat u wilt."), "invalid_choice": _("Kies wat u wilt.")},
    )
    description = PlainTextArea(
        label=_("Vertel kort wat u wilt"),
        help_text=_("Bijvoorbeeld: welke gegevens, of wat er niet klopt."),
        max_length=2000,
        error_messages={"required": _("Schrijf kort op wat u wilt.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RequestForm(forms.Form):
    """The officer registers a request."""

    kind = forms.ChoiceField(
        label=_("Soort verzoek"), choices=RequestKind.choices, error_messages={"required": _("Kies de soort verzoek.")}
    )
    resident = ResidentChoiceField(
        label=_("Inwoner"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("— iemand die niet in het systeem staat —"),
        error_messages={"invalid_choice": _("Kies een inwoner van uw eigen organisatie.")},
    )
    requester_name = PlainTextField(label=_("Naam (als de aanvrager niet in het systeem staat)"), required=False)
    requester_contact = PlainTextField(label=_("Adres, e-mail of telefoon van de aanvrager"), required=False)
    received_on = WorkableDateField(
        label=_("Ontvangen op"), error_messages={"required": _("Vul in wanneer het verzoek binnenkwam.")}
    )
    description = PlainTextArea(label=_("Omschrijving"), max_length=2000, required=False)

    def __init__(self, *args: Any, residents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resident"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = residents.order_by("sort_name", "first_name")
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_received_on(self) -> date:
        day: date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("De ontvangstdatum ligt in de toekomst. Vul de dag in waarop het verzoek binnenkwam.")
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "resident" in data and data.get("resident") is None and not data.get("requester_name"):
            self.add_error(
                "requester_name", _("Kies een inwoner, of vul de naam in van iemand die niet in het systeem staat.")
            )
        return data

    def request_data(self) -> RequestData:
        data = self.cleaned_data
        return RequestData(
            kind=data["kind"],
            received_on=data["received_on"],
            description=data["description"],
            resident=data["resident"],
            requester_name=data["requester_name"],
            requester_contact=data["requester_contact"],
        )


class ExtendForm(forms.Form):
    until = WorkableDateField(
        label=_("Nieuwe uiterste datum"),
        help_text=_("Hoogstens twee maanden na de wettelijke termijn."),
        error_messages={"required": _("Kies de nieuwe uiterste datum.")},
    )
    reason = PlainTextArea(
        label=_("Reden van verlenging"),
        max_length=1000,
        error_messages={"required": _("Schrijf op waarom de termijn wordt verlengd.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    told = PlainTextArea(
        label=_("Hoe en wanneer is de aanvrager geïnformeerd?"),
        max_length=1000,
        error_messages={"required": _("Noteer hoe en wanneer de aanvrager over de verlenging is geïnformeerd.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[(s.value, s.label) for s in (RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.REFUSED)],
        error_messages={"required": _("Kies de nieuwe status."), "invalid_choice": _("Kies de nieuwe status.")},
    )
    outcome = PlainTextArea(
        label=_("Uitkomst (bij weigeren: de reden)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle")), ("open", _("open")), *RequestStatus.choices],
    )
    kind = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("alle")), *RequestKind.choices])


class BreachForm(forms.Form):
    discovered_on = WorkableDateField(label=_("Ontdekt op (datum)"), error_messages={"required": _("Vul de datum in.")})
    discovered_time = ClockTimeField(label=_("Ontdekt om (tijd)"), error_messages={"required": _("Vul de tijd in.")})
    description = PlainTextArea(
        label=_("Wat is er gebeurd?"), max_length=4000, error_messages={"required": _("Beschrijf wat er is gebeurd.")}
    )
    data_kinds = PlainTextArea(
        label=_("Om welke gegevens gaat het?"),
        max_length=2000,
        error_messages={"required": _("Schrijf op om welke gegevens het gaat.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cause = PlainTextArea(label=_("Oorzaak"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = PlainTextArea(
        label=_("Genomen maatregelen"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        moment = _moment(data.get("discovered_on"), data.get("discovered_time"))
        if moment is not None and moment > timezone.now():
            self.add_error("discovered_on", _("Het moment van ontdekken ligt in de toekomst."))
        data["discovered_at"] = moment
        return data

    def breach_data(self) -> BreachData:
        data = self.cleaned_data
        return BreachData(
            discovered_at=data["discovered_at"],
            description=data["description"],
            data_kinds=data["data_kinds"],
            cause=data["cause"],
            measures=data["measures"],
        )


class AuthorityForm(forms.Form):
    notified_on = WorkableDateField(label=_("Gemeld bij de AP op (datum)"), required=False)
    notified_time = ClockTimeField(label=_("Gemeld om (tijd)"), required=False)
    reference = PlainTextField(label=_("Meldnummer van de AP"), max_length=100, required=False)
    not_needed_reason = PlainTextArea(
        label=_("Of: waarom melden niet nodig is"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("notified_on")) != bool(data.get("notified_time")):
            self.add_error("notified_time", _("Vul bij een melding zowel de datum als de tijd in."))
        data["notified_at"] = _moment(data.get("notified_on"), data.get("notified_time"))
        return data


class AffectedAddForm(forms.Form):
    resident = ResidentChoiceField(
        label=_("Inwoner"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        error_messages={
            "required": _("Kies een inwoner."),
            "invalid_choice": _("Kies een inwoner van uw eigen organisatie."),
        },
    )

    def __init__(self, *args: Any, residents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resident"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = residents.order_by("sort_name", "first_name")


class AccessLogSearchForm(forms.Form):
    """Find residents whose data one person reached between two moments."""

    actor = forms.ModelChoiceField(
        label=_("Wie (medewerker of account)"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        error_messages={"required": _("Kies wie het betreft."), "invalid_choice": _("Kies iemand van uw organisatie.")},
    )
    start_on = WorkableDateField(label=_("Van (datum)"), error_messages={"required": _("Vul de begindatum in.")})
    start_time = ClockTimeField(label=_("Van (tijd)"), error_messages={"required": _("Vul de begintijd in.")})
    end_on = WorkableDateField(label=_("Tot en met (datum)"), error_messages={"required": _("Vul de einddatum in.")})
    end_time = ClockTimeField(label=_("Tot en met (tijd)"), error_messages={"required": _("Vul de eindtijd in.")})

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people.order_by("sort_name", "first_name")
        field.label_from_instance = lambda obj: f"{obj.full_name} ({obj.get_role_display()})"  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = _moment(data.get("start_on"), data.get("start_time"))
        end = _moment(data.get("end_on"), data.get("end_time"))
        if start is not None and end is not None and end < start:
            self.add_error("end_on", _("Het einde ligt vóór het begin."))
        data["start"], data["end"] = start, end
        return data


class MessageForm(forms.Form):
    text = PlainTextArea(
        label=_("Uw bericht aan de betrokken inwoners"),
        help_text=_(
            "Schrijf in eenvoudige taal (B1): wat er is gebeurd, welke gegevens, wat u eraan doet, "
            "wat de inwoner zelf kan doen en bij wie hij terecht kan."
        ),
        max_length=3000,
        error_messages={"required": _("Schrijf het bericht aan de inwoners.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ActionForm(forms.Form):
    text = PlainTextArea(
        label=_("Wat is er gedaan?"),
        max_length=2000,
        error_messages={"required": _("Schrijf op wat er is gedaan.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Retention ----------------------------------------------------------------------------


class RetentionSettingsForm(forms.Form):
    """One number per record class, in its unit, with the default and the
    legal minimum in the help text; the service refuses a period below the
    legal minimum with the legal basis."""

    provides_youth_care = forms.BooleanField(
        label=_("Wij geven jeugdhulp (Jeugdwet): dossiers 20 jaar bewaren"), required=False
    )

    def __init__(self, *args: Any, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            record_class = period.record_class
            unit = _("jaar") if record_class.unit == "years" else _("dagen")
            self.fields[f"period_{period.code}"] = forms.IntegerField(
                label=f"{record_class.label} ({unit})",
                min_value=0,
                max_value=period.maximum,
                initial=period.amount,
                help_text=_("%(rule)s. Standaard %(default)s. Wettelijk: %(basis)s.")
                % {
                    "rule": str(record_class.rule).capitalize(),
                    "default": period.amount_text(period.default),
                    "basis": period.legal_basis,
                },
                error_messages={
                    "required": _("Vul een bewaartermijn in."),
                    "invalid": _("Vul een heel getal in."),
                    "min_value": _("Vul 0 of meer in."),
                    "max_value": _("Dit is te lang (hoogstens %(limit_value)s)."),
                },
            )

    def chosen_periods(self) -> dict[str, int]:
        return {period.code: self.cleaned_data[f"period_{period.code}"] for period in self.periods}

    def fields_of_periods(self) -> list[Any]:
        return [self[f"period_{period.code}"] for period in self.periods]


class HoldResidentForm(forms.Form):
    """Step one of a legal hold: whose data (GET, so the next step can
    offer the resident's case files)."""

    inwoner = ResidentChoiceField(
        label=_("Inwoner"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("— kies een inwoner —"),
        error_messages={
            "required": _("Kies een inwoner."),
            "invalid_choice": _("Kies een inwoner van uw eigen organisatie."),
        },
    )

    def __init__(self, *args: Any, residents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inwoner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = residents.order_by("sort_name", "first_name")


class HoldForm(forms.Form):
    """Step two: everything of the resident or one case file, and why."""

    case = forms.ChoiceField(label=_("Wat moet bewaard blijven?"), required=False)
    reason = PlainTextArea(
        label=_("Reden"),
        help_text=_("Bijvoorbeeld: een klacht, een rechtszaak of een onderzoek van de inspectie."),
        max_length=2000,
        error_messages={"required": _("Schrijf op waarom de gegevens bewaard moeten blijven.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, cases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Alles van deze inwoner")), *cases]
        field.error_messages["invalid_choice"] = _("Kies een dossier van deze inwoner.")


class HoldLiftForm(forms.Form):
    reason = PlainTextArea(
        label=_("Waarom wordt de bewaarplicht opgeheven?"),
        max_length=2000,
        error_messages={"required": _("Schrijf op waarom de bewaarplicht wordt opgeheven.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
