"""Forms of the activity diary: one activity in a few taps, a coach's
comment, the reminder. Every rule has a plain Dutch message next to its
field; the service checks the same rules again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary.models import MINUTES_MAX, Effort, Mood, Relaxation
from diary.services import COMMENT_MAX, DAYS_AHEAD_MAX, NOTE_MAX, RULE_MARGIN_MAX, RULE_MARGIN_MIN, WHAT_MAX, EntryData
from samenspraak.dates import ClockTimeField, WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField


def _score_field(label: Any, choices: Any, *, required: bool = True, message: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices if required else [("", _("zeg ik liever niet")), *choices],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class EntryForm(forms.Form):
    what = PlainTextField(
        label=_("Wat hebt u gedaan?"),
        max_length=WHAT_MAX,
        error_messages={"required": _("Schrijf op wat u hebt gedaan.")},
        widget=forms.TextInput(attrs={"list": "diary-frequent", "autocomplete": "off"}),
    )
    day = WorkableDateField(label=_("Welke dag?"), error_messages={"required": _("Kies de dag.")})
    start_time = ClockTimeField(label=_("Hoe laat begon het? (mag leeg blijven)"), required=False)
    minutes = forms.IntegerField(
        label=_("Hoe lang duurde het? (in minuten)"),
        help_text=_("Bijvoorbeeld 30 voor een half uur, 90 voor anderhalf uur."),
        min_value=1,
        max_value=MINUTES_MAX,
        error_messages={
            "required": _("Vul in hoe lang het duurde, in minuten."),
            "invalid": _("Vul een getal in, bijvoorbeeld 30."),
            "min_value": _("Vul in hoe lang het duurde: minstens 1 minuut."),
            "max_value": _("Een activiteit duurt hoogstens 24 uur (1440 minuten)."),
        },
    )
    effort = _score_field(
        _("Hoeveel moeite kostte het?"), Effort.choices, message=_("Kies bij inspanning een van de vijf keuzes.")
    )
    relaxation = _score_field(
        _("Hoe ontspannend was het?"),
        Relaxation.choices,
        message=_("Kies bij ontspanning een van de vijf keuzes."),
    )
    mood = _score_field(
        _("Hoe voelde u zich? (mag leeg blijven)"),
        Mood.choices,
        required=False,
        message=_("Kies bij stemming een van de vijf keuzes, of niets."),
    )
    note = PlainTextArea(
        label=_("Notitie (mag leeg blijven)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_private = forms.BooleanField(label=_("Alleen voor mij: niet delen met mijn coach"), required=False)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["max"] = (timezone.localdate() + timedelta(days=DAYS_AHEAD_MAX)).isoformat()
        self.fields["minutes"].widget.attrs.update({"inputmode": "numeric", "min": "1", "max": str(MINUTES_MAX)})

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day > timezone.localdate() + timedelta(days=DAYS_AHEAD_MAX):
            raise forms.ValidationError(
                _("Deze dag ligt te ver in de toekomst. Vul in wat u al gedaan hebt, of morgen doet.")
            )
        return day

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            what=data["what"],
            day=data["day"],
            start_time=data["start_time"],
            minutes=data["minutes"],
            effort=data["effort"],
            relaxation=data["relaxation"],
            mood=data["mood"],
            note=data["note"],
            is_private=data["is_private"],
        )

    @staticmethod
    def initial_for(entry: Any) -> dict[str, Any]:
        return {
            name: getattr(entry, name)
            for name in ("what", "day", "start_time", "minutes", "effort", "relaxation", "mood", "note", "is_private")
        }


class CommentForm(forms.Form):
    text = PlainTextArea(
        label=_("Uw opmerking bij deze week"),
        max_length=COMMENT_MAX,
        error_messages={"required": _("Schrijf eerst uw opmerking.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReminderForm(forms.Form):
    is_on = forms.BooleanField(label=_("Stuur mij elke dag een herinnering"), required=False)
    at = ClockTimeField(label=_("Hoe laat?"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_on") and data.get("at") is None:
            self.add_error("at", _("Kies hoe laat u de herinnering wilt krijgen."))
        return data


class DiaryRuleForm(forms.Form):
    balance_margin = forms.IntegerField(
        label=_("Signaal als de moeite in een week zoveel punten hoger is dan de ontspanning"),
        min_value=RULE_MARGIN_MIN,
        max_value=RULE_MARGIN_MAX,
        error_messages={
            "required": _("Vul een aantal punten in."),
            "invalid": _("Vul een heel getal in, bijvoorbeeld 5."),
            "min_value": _("Kies minstens %(limit_value)s punt."),
            "max_value": _("Kies hoogstens %(limit_value)s punten."),
        },
    )
