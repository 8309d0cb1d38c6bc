"""The measurement form, built from an instrument version: one row of
choices per item (the version's scale with its labels), and per item the
resident's "liever in een gesprek" tick or the worker's short note. Every
rule has a plain Dutch message; the service checks them again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.models import InstrumentVersion, Item, Measurement, Moment
from outcomes.services import NOTE_MAX, ScoreInput
from samenspraak.dates import WorkableDateField
from samenspraak.forms import PlainTextField

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
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.indicators = indicators or {}
        self.for_resident = for_resident
        self.items: list[Item] = list(version.items.all())
        points = list(version.scale_points.all())
        choices = [(point.value, f"{point.value}: {point.label}") for point in points]
        low, high = (points[0].value, points[-1].value) if points else (1, 5)
        message = _("Kies een score van %(low)s tot en met %(high)s.") % {"low": low, "high": high}
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
            self.fields[f"score_{item.order}"] = forms.TypedChoiceField(
                label=(item.resident_wording or item.label) if for_resident else item.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )
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

    @classmethod
    def initial_for(cls, measurement: Measurement, scores: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"moment": measurement.moment, "measured_on": measurement.measured_on}
        for score in scores:
            initial[f"score_{score.item.order}"] = score.value
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
            }
            for item in self.items
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(cleaned.get(f"score_{item.order}") is None for item in self.items):
            raise forms.ValidationError(_("Kies bij minstens één onderwerp een antwoord."))
        return cleaned

    def scores(self) -> dict[int, ScoreInput]:
        out = {}
        for item in self.items:
            out[item.pk] = ScoreInput(
                value=self.cleaned_data.get(f"score_{item.order}"),
                face_to_face_preferred=bool(self.cleaned_data.get(f"talk_{item.order}")),
                note=self.cleaned_data.get(f"note_{item.order}") or "",
            )
        return out


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
