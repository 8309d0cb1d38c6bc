from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import REMARK_MAX, Again, Score
from feedback.services import Answer
from samenspraak.forms import PlainTextArea


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("1. Hoe was dit contact?"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies bij vraag 1 hoe het contact was."),
            "invalid_choice": _("Kies bij vraag 1 hoe het contact was."),
        },
    )
    again = forms.ChoiceField(
        label=_("2. Zou u dit contact de volgende keer weer zo doen?"),
        choices=Again.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies bij vraag 2 ja, nee of weet ik niet."),
            "invalid_choice": _("Kies bij vraag 2 ja, nee of weet ik niet."),
        },
    )
    remark = PlainTextArea(
        label=_("3. Wilt u nog iets zeggen? (mag leeg blijven)"),
        required=False,
        max_length=REMARK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Schrijf hoogstens %(limit_value)s tekens.")},
    )

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(score=data["score"], again=data["again"], remark=data.get("remark") or "")


class PreferenceForm(forms.Form):
    is_opted_out = forms.BooleanField(
        label=_("Ik wil geen vragen meer krijgen over hoe een contact was."), required=False
    )
