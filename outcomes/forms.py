"""The measurement form, built from an instrument version: one row of
choices per item (the version's scale with its labels), and per item the
resident's "liever in een gesprek" tick or the worker's short note. Every
rule has a plain Dutch message; the service checks them again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.models import TEXT_MAX, Instrument, InstrumentVersion, Item, Measurement, Moment
from outcomes.services import LABEL_MAX, NAME_MAX, NOTE_MAX, OPTION_MAX, VALIDITY_MAX, WORDING_MAX, ScoreInput
from samenspraak.dates import WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField

# The moments in words a resident reads at B1 level.
RESIDENT_MOMENTS = [
    (Moment.INTAKE, _("Aan het begin van de hulp")),
    (Moment.REVIEW, _("Voor een gesprek over hoe het gaat")),
    (Moment.CLOSING, _("Aan het eind van de hulp")),
    (Moment.AD_HOC, _("Zomaar tussendoor")),
]


class MeasurementForm(forms.Form):
    moment = forms.ChoiceField(
        label=_("Moment"),
        choices=Moment.choices,
        error_messages={
            "required": _("Kies het moment van de meting."),
            "invalid_choice": _("Kies het moment van de meting."),
        },
    )
    measured_on = WorkableDateField(label=_("Datum van de meting"), error_messages={"required": _("Kies de datum.")})

    def __init__(
        self,
        *args: Any,
        version: InstrumentVersion,
        for_resident: bool,
        indicators: dict[int, list[Any]] | None = None,
        goals: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.indicators = indicators or {}
        self.for_resident = for_resident
        self.items: list[Item] = list(version.items.prefetch_related("options"))
        points = list(version.scale_points.all())
        self.version_choices = [(point.value, f"{point.value}: {point.label}") for point in points]
        self.fields["measured_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if for_resident:
            del self.fields["measured_on"]
            self.fields["moment"] = forms.ChoiceField(
                label=_("Wanneer vult u dit in?"),
                choices=RESIDENT_MOMENTS,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Kies wanneer u dit invult."),
                    "invalid_choice": _("Kies wanneer u dit invult."),
                },
            )
        for item in self.items:
            self.fields[f"score_{item.order}"] = self._answer_field(item)
            if for_resident:
                self.fields[f"talk_{item.order}"] = forms.BooleanField(
                    label=_("Ik praat hier liever over in een gesprek"), required=False
                )
            else:
                self.fields[f"note_{item.order}"] = PlainTextField(
                    label=_("Toelichting bij %(item)s") % {"item": item.label},
                    max_length=NOTE_MAX,
                    required=False,
                )

        if goals and not for_resident:
            self.fields["goals"] = forms.MultipleChoiceField(
                label=_("Over welke doelen gaat deze meting?"),
                help_text=_("Niets gekozen: de meting gaat over de hele hulp."),
                choices=[(str(goal.public_id), goal.title) for goal in goals],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Kies alleen doelen uit de lijst.")},
            )

    def _answer_field(self, item: Item) -> forms.Field:
        label = (item.resident_wording or item.label) if self.for_resident else item.label
        if item.answer_type == Item.AnswerType.TEXT:
            limit = item.max_length or TEXT_MAX
            return PlainTextArea(
                label=label,
                max_length=limit,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Uw antwoord is te lang. Gebruik hoogstens %(max)s tekens.") % {"max": limit}
                },
            )
        options = list(item.options.all())
        message: str
        if item.answer_type == Item.AnswerType.CHOICE:
            choices = [(option.value, option.label) for option in options]
            message = str(_("Kies een van de antwoorden die er staan."))
        else:
            choices = [(o.value, f"{o.value}: {o.label}") for o in options] if options else self.version_choices
            values = [value for value, _label in choices] or [1, 5]
            message = _("Kies een score van %(low)s tot en met %(high)s.") % {"low": min(values), "high": max(values)}
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": message},
        )

    @classmethod
    def initial_for(cls, measurement: Measurement, scores: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "moment": measurement.moment,
            "measured_on": measurement.measured_on,
            "goals": [str(goal.public_id) for goal in measurement.goals.all()],
        }
        for score in scores:
            is_text = score.item.answer_type == Item.AnswerType.TEXT
            initial[f"score_{score.item.order}"] = score.text if is_text else score.value
            initial[f"note_{score.item.order}"] = score.note
        return initial

    def rows(self) -> list[dict[str, Any]]:
        """Per item: its score field and its tick or note, for the template."""
        return [
            {
                "item": item,
                "score": self[f"score_{item.order}"],
                "extra": self[f"talk_{item.order}" if self.for_resident else f"note_{item.order}"],
                "indicators": self.indicators.get(item.pk, []),
                "is_text": item.answer_type == Item.AnswerType.TEXT,
            }
            for item in self.items
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(cleaned.get(f"score_{item.order}") in (None, "") for item in self.items):
            raise forms.ValidationError(_("Kies bij minstens één onderwerp een antwoord."))
        return cleaned

    def scores(self) -> dict[int, ScoreInput]:
        out = {}
        for item in self.items:
            answer = self.cleaned_data.get(f"score_{item.order}")
            is_text = item.answer_type == Item.AnswerType.TEXT
            out[item.pk] = ScoreInput(
                value=None if is_text else answer,
                face_to_face_preferred=bool(self.cleaned_data.get(f"talk_{item.order}")),
                note=self.cleaned_data.get(f"note_{item.order}") or "",
                text=(answer or "") if is_text else "",
            )
        return out

    def goal_ids(self) -> list[str]:
        return list(self.cleaned_data.get("goals") or [])


class ShareForm(forms.Form):
    is_shared = forms.BooleanField(required=False)


class IndicatorImportForm(forms.Form):
    version = forms.ChoiceField(
        label=_("Matrix"), error_messages={"required": _("Kies de matrix."), "invalid_choice": _("Kies de matrix.")}
    )
    file = forms.FileField(
        label=_("Bestand met indicatoren (CSV)"),
        help_text=_("Kolommen: domein, score, indicator. Gescheiden door puntkomma of komma, in UTF-8."),
        error_messages={"required": _("Kies een CSV-bestand."), "empty": _("Het bestand is leeg.")},
    )

    def __init__(self, *args: Any, versions: list[InstrumentVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(v.public_id), v.instrument.name) for v in versions]
        self.fields["version"].choices = choices  # type: ignore[attr-defined]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 512 kB)."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Sla het bestand op als CSV in UTF-8 en probeer het opnieuw.")) from error


# --- The questionnaire builder -------------------------------------------------------

FILLED_BY_CHOICES = [
    (Instrument.FilledBy.RESIDENT, _("De inwoner")),
    (Instrument.FilledBy.WORKER, _("De medewerker")),
    (Instrument.FilledBy.BOTH, _("Allebei: de inwoner of de medewerker")),
]


class QuestionnaireForm(forms.Form):
    name = PlainTextField(
        label=_("Naam van de vragenlijst"),
        max_length=NAME_MAX,
        error_messages={"required": _("Vul de naam in.")},
    )
    filled_by = forms.ChoiceField(
        label=_("Wie vult de vragenlijst in?"),
        choices=FILLED_BY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie de vragenlijst invult."),
            "invalid_choice": _("Kies wie de vragenlijst invult."),
        },
    )
    validity_days = forms.IntegerField(
        label=_("Hoeveel dagen blijft een meting geldig?"),
        help_text=_("Leeg: altijd. Daarna heet een meting verouderd bij een evaluatie."),
        min_value=1,
        max_value=VALIDITY_MAX,
        required=False,
        error_messages={
            "invalid": _("Vul een aantal dagen in, als getal."),
            "min_value": _("Vul minstens 1 dag in."),
            "max_value": _("Vul hoogstens %(limit_value)s dagen in."),
        },
    )
    description = PlainTextArea(label=_("Uitleg (voor wie invult)"), max_length=2000, required=False)


ANSWER_TYPE_CHOICES = [
    (Item.AnswerType.SCALE, _("Schaal: een score met een woord bij elk punt")),
    (Item.AnswerType.CHOICE, _("Keuze: één antwoord uit een lijst")),
    (Item.AnswerType.TEXT, _("Open antwoord: de invuller schrijft zelf")),
]


class ItemForm(forms.Form):
    label = PlainTextField(
        label=_("Vraag (zoals de medewerker hem leest)"),
        max_length=LABEL_MAX,
        error_messages={"required": _("Vul de vraag in.")},
    )
    resident_wording = PlainTextField(
        label=_("Vraag in eenvoudige woorden voor de inwoner"),
        help_text=_("Taalniveau B1: korte zinnen, gewone woorden. Leeg: de inwoner leest de vraag hierboven."),
        max_length=WORDING_MAX,
        required=False,
    )
    answer_type = forms.ChoiceField(
        label=_("Soort antwoord"),
        choices=ANSWER_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies het soort antwoord."), "invalid_choice": _("Kies het soort antwoord.")},
    )
    options = PlainTextArea(
        label=_("Antwoorden (bij een schaal of keuze)"),
        help_text=_(
            "Elk antwoord op een eigen regel, 2 tot 10. Bij een schaal is de eerste regel punt 1, de tweede punt 2, "
            "enzovoort."
        ),
        max_length=10 * (OPTION_MAX + 2),
        required=False,
    )
    max_length = forms.IntegerField(
        label=_("Hoeveel tekens mag een open antwoord hebben?"),
        min_value=1,
        max_value=TEXT_MAX,
        required=False,
        error_messages={
            "invalid": _("Vul een aantal tekens in, als getal."),
            "min_value": _("Vul minstens 1 teken in."),
            "max_value": _("Vul hoogstens %(limit_value)s tekens in."),
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("answer_type")
        if kind == Item.AnswerType.TEXT and not cleaned.get("max_length") and "max_length" not in self.errors:
            self.add_error("max_length", _("Kies hoeveel tekens een open antwoord mag hebben."))
        if kind in (Item.AnswerType.SCALE, Item.AnswerType.CHOICE) and "options" not in self.errors:
            lines = [line.strip() for line in (cleaned.get("options") or "").splitlines() if line.strip()]
            if not 2 <= len(lines) <= 10:
                self.add_error("options", _("Geef 2 tot 10 antwoorden, elk op een eigen regel."))
        return cleaned

    def option_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip())

    @classmethod
    def initial_for(cls, item: Item) -> dict[str, Any]:
        return {
            "label": item.label,
            "resident_wording": item.resident_wording,
            "answer_type": item.answer_type,
            "options": "\n".join(option.label for option in item.options.all()),
            "max_length": item.max_length,
        }
