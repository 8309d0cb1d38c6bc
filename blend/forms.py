from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from blend.models import ALWAYS_OFFERED, ONLINE_CHANNELS, BlendPlan, Channel
from samenspraak.dates import WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField

if TYPE_CHECKING:
    from casefiles.models import Goal

OPTIONAL_CHANNELS = [(value, label) for value, label in Channel.choices if value != ALWAYS_OFFERED]
ONLINE_CHOICES = [(value, label) for value, label in Channel.choices if value in ONLINE_CHANNELS]


class BlendPlanForm(forms.Form):
    """The plan as agreed together. Face-to-face is not a field: it is
    always part of the plan and cannot be switched off."""

    case_channels = forms.MultipleChoiceField(
        label=_("Voor het hele traject, naast een gesprek op een locatie"),
        choices=OPTIONAL_CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consents = forms.MultipleChoiceField(
        label=_("De inwoner geeft toestemming voor deze online manieren"),
        help_text=_("Vink alleen aan wat de inwoner zelf zegt. De inwoner kan dit ook zelf aan- en uitzetten."),
        choices=ONLINE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # The consents as the page showed them, so only real changes are saved.
    consents_shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    consent_document = PlainTextField(
        label=_("Gaf de inwoner toestemming op papier? Nummer of naam van het formulier"),
        help_text=_("Leeg laten als de inwoner het in het gesprek zei."),
        max_length=120,
        required=False,
    )
    consent_reason = PlainTextField(
        label=_("Waarom op papier?"),
        help_text=_("Bijvoorbeeld: de inwoner heeft geen computer."),
        max_length=300,
        required=False,
    )
    review_date = WorkableDateField(label=_("Samen opnieuw bekijken op"), required=False)
    preferred_channel = forms.ChoiceField(label=_("Liefste manier van contact"), choices=Channel.choices)
    best_times = PlainTextField(label=_("Beste momenten voor contact"), max_length=200, required=False)
    needs_large_text = forms.BooleanField(label=_("Grote letters"), required=False)
    needs_read_aloud = forms.BooleanField(label=_("Voorlezen"), required=False)
    has_no_email = forms.BooleanField(label=_("Geen e-mail"), required=False)
    needs_help_of_relative = forms.BooleanField(label=_("Hulp van een naaste bij online dingen"), required=False)
    notes = PlainTextArea(label=_("Toelichting"), max_length=2000, required=False)

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[self.goal_field_name(goal)] = forms.MultipleChoiceField(
                label=_("Voor het doel: %(title)s") % {"title": goal.title},
                choices=Channel.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def consent_changes(self) -> dict[str, bool]:
        shown = {c for c in self.cleaned_data.get("consents_shown", "").split(",") if c}
        chosen = set(self.cleaned_data.get("consents", []))
        return {channel: channel in chosen for channel in ONLINE_CHANNELS if (channel in chosen) != (channel in shown)}

    @staticmethod
    def goal_field_name(goal: Goal) -> str:
        return f"goal_{goal.public_id.hex}"

    @staticmethod
    def initial_for(plan: BlendPlan | None, view: Any, goals: list[Goal], consents: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "case_channels": sorted(view.case_channels - {ALWAYS_OFFERED.value}),
            "consents": sorted(c for c, consent in consents.items() if consent.is_given),
            "consents_shown": ",".join(sorted(c for c, consent in consents.items() if consent.is_given)),
        }
        for goal in goals:
            initial[BlendPlanForm.goal_field_name(goal)] = sorted(view.goal_channels.get(goal.pk, set()))
        if plan is not None:
            for name in (
                "review_date",
                "preferred_channel",
                "best_times",
                "needs_large_text",
                "needs_read_aloud",
                "has_no_email",
                "needs_help_of_relative",
                "notes",
            ):
                initial[name] = getattr(plan, name)
        return initial


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(choices=ONLINE_CHOICES)
    is_given = forms.TypedChoiceField(choices=[("1", "ja"), ("0", "nee")], coerce=lambda v: v == "1")
