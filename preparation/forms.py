"""Forms of the preparation guides. Every rule has a plain Dutch message;
the services check the same rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from preparation.models import EXPLANATION_MAX, INTRO_MAX, NOTE_MAX, TITLE_MAX, Guide
from preparation.services import ItemData
from samenspraak.forms import PlainTextArea, PlainTextField


class ItemForm(forms.Form):
    """The resident's answer to one item. Each item on the page has its own
    ids (``auto_id``), so labels stay unique."""

    is_done = forms.BooleanField(label=_("Dit heb ik klaar"), required=False)
    note = PlainTextArea(
        label=_("Notitie (mag leeg blijven)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Een notitie is hoogstens %(limit_value)d tekens lang.")},
    )
    file = forms.FileField(
        label=_("Document of foto toevoegen (PDF, foto, Word of Excel; kleiner dan 10 MB; mag leeg blijven)"),
        required=False,
    )


class GiveForm(forms.Form):
    guide = forms.ModelChoiceField(
        label=_("Welke handleiding?"),
        queryset=Guide.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een gepubliceerde handleiding.")},
    )

    def __init__(self, *args: Any, guides: QuerySet[Guide], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = guides  # type: ignore[attr-defined]


class NewGuideForm(forms.Form):
    title = PlainTextField(
        label=_("Titel van de nieuwe handleiding"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Geef de handleiding een titel.")},
    )


class GuideForm(forms.Form):
    title = PlainTextField(
        label=_("Titel"), max_length=TITLE_MAX, error_messages={"required": _("Geef de handleiding een titel.")}
    )
    intro = PlainTextArea(
        label=_("Inleiding (voor de inwoner, in eenvoudige taal)"), required=False, max_length=INTRO_MAX
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Guide.Status.DRAFT, _("Concept: inwoners zien de handleiding nog niet")),
            (Guide.Status.PUBLISHED, _("Gepubliceerd: inwoners en sociaal werkers kunnen de handleiding gebruiken")),
        ],
        widget=forms.RadioSelect,
    )


class GuideItemForm(forms.Form):
    public_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    title = PlainTextField(label=_("Wat moet de inwoner voorbereiden?"), required=False, max_length=TITLE_MAX)
    explanation = PlainTextArea(
        label=_("Uitleg: wat is het en waarom is het nodig?"),
        required=False,
        max_length=EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remove = forms.BooleanField(label=_("Dit onderdeel weghalen"), required=False)

    def item_data(self) -> ItemData | None:
        data = self.cleaned_data
        if not data.get("public_id") and not data.get("title"):
            return None  # an empty new row
        return ItemData(
            title=data.get("title", ""),
            explanation=data.get("explanation", ""),
            public_id=data.get("public_id"),
            is_removed=bool(data.get("remove")),
        )


GuideItemFormSet = forms.formset_factory(GuideItemForm, extra=3, max_num=40, absolute_max=60)
