"""Forms of e-learning and the library. The services check the same rules
again; a form only gives the message a place next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from learning.models import StepKind
from learning.services import CHOICES_MAX, TEXT_MAX, TITLE_MAX, ChoiceData, LibraryItemData, StepData
from samenspraak.forms import PlainTextArea, PlainTextField

MARKDOWN_HELP = _(
    "Schrijf in gewone taal (B1). Opmaak: **vet**, *schuin*, een regel met '- ' wordt een opsomming, "
    "'## Kopje' een tussenkopje, [tekst](https://...) een link."
)


class SearchForm(forms.Form):
    q = PlainTextField(label=_("Zoeken in de bibliotheek"), required=False, max_length=200)
    onderwerp = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModuleForm(forms.Form):
    title = PlainTextField(label=_("Titel"), max_length=TITLE_MAX, error_messages={"required": _("Geef een titel.")})
    summary = PlainTextField(label=_("Korte uitleg voor de inwoner"), max_length=300, required=False)


class StepForm(forms.Form):
    """One step. For a question: the question in ``body_markdown`` and up to
    four answers, each with its own kind feedback."""

    title = PlainTextField(
        label=_("Titel van de stap"), max_length=TITLE_MAX, error_messages={"required": _("Geef een titel.")}
    )
    body_markdown = PlainTextArea(
        label=_("Tekst (bij een vraag: de vraag)"), max_length=TEXT_MAX, required=False, help_text=MARKDOWN_HELP
    )
    image = forms.FileField(label=_("Afbeelding (PNG of JPEG)"), required=False)
    image_alt = PlainTextField(
        label=_("Wat staat er op de afbeelding? (voor wie niet goed ziet)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != StepKind.IMAGE:
            del self.fields["image"]
            del self.fields["image_alt"]
        if kind == StepKind.VIDEO:
            self.fields["video"] = forms.FileField(label=_("Video (MP4 of WebM)"), required=False)
            self.fields["captions"] = forms.FileField(
                label=_("Ondertitels (WebVTT, .vtt)"),
                required=False,
                help_text=_("Zonder ondertitels kunnen doven en slechthorenden de video niet volgen."),
            )
        if kind == StepKind.QUESTION:
            for n in range(1, CHOICES_MAX + 1):
                self.fields[f"choice_{n}_text"] = PlainTextField(
                    label=_("Antwoord %(n)s") % {"n": n}, max_length=200, required=False
                )
                self.fields[f"choice_{n}_feedback"] = PlainTextField(
                    label=_("Uitleg bij antwoord %(n)s") % {"n": n}, max_length=500, required=False
                )
                self.fields[f"choice_{n}_correct"] = forms.BooleanField(
                    label=_("Antwoord %(n)s is goed") % {"n": n}, required=False
                )

    @staticmethod
    def initial_for(step: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": step.title,
            "body_markdown": step.body_markdown,
            "image_alt": step.image_alt,
        }
        for n, choice in enumerate(step.choices.all(), start=1):
            initial[f"choice_{n}_text"] = choice.text
            initial[f"choice_{n}_feedback"] = choice.feedback
            initial[f"choice_{n}_correct"] = choice.is_correct
        return initial

    def step_data(self) -> StepData:
        data = self.cleaned_data
        choices = [
            ChoiceData(
                data.get(f"choice_{n}_text", ""),
                data.get(f"choice_{n}_feedback", ""),
                bool(data.get(f"choice_{n}_correct")),
            )
            for n in range(1, CHOICES_MAX + 1)
            if self.kind == StepKind.QUESTION
        ]
        return StepData(
            kind=self.kind,
            title=data["title"],
            body_markdown=data.get("body_markdown", ""),
            image_alt=data.get("image_alt", ""),
            choices=choices,
        )


class LibraryItemForm(forms.Form):
    title = PlainTextField(label=_("Titel"), max_length=TITLE_MAX, error_messages={"required": _("Geef een titel.")})
    summary = PlainTextField(label=_("Korte uitleg"), max_length=300, required=False)
    topic_name = PlainTextField(label=_("Onderwerp"), max_length=80, required=False)
    body_markdown = PlainTextArea(
        label=_("Tekst"),
        max_length=TEXT_MAX,
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Schrijf de tekst van het artikel.")},
    )
    audience = forms.ChoiceField(label=_("Voor wie"), required=False)
    is_published = forms.BooleanField(label=_("Gepubliceerd: inwoners kunnen het lezen"), required=False)

    def __init__(self, *args: Any, residents: list[User], trainings: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.residents = {str(r.public_id): r for r in residents}
        self.trainings = {f"training:{t.public_id}": t for t in trainings or []}
        self.fields["audience"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle inwoners van de organisatie")),
            *((key, _("Deelnemers van training %(title)s") % {"title": t.title}) for key, t in self.trainings.items()),
            *((key, r.full_name or r.username) for key, r in self.residents.items()),
        ]

    def item_data(self) -> LibraryItemData:
        data = self.cleaned_data
        return LibraryItemData(
            title=data["title"],
            body_markdown=data["body_markdown"],
            summary=data.get("summary", ""),
            topic_name=data.get("topic_name", ""),
            audience_resident=self.residents.get(data.get("audience") or ""),
            audience_training=self.trainings.get(data.get("audience") or ""),
            is_published=bool(data.get("is_published")),
        )


class AssignForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), error_messages={"required": _("Kies een module.")})

    def __init__(self, *args: Any, modules: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = {str(m.public_id): m for m in modules}
        self.fields["module"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een module")),
            *((key, m.published_version.title) for key, m in self.modules.items()),
        ]
        self.fields["module"].error_messages["invalid_choice"] = _("Kies een module uit de lijst.")


class AuthorForm(forms.Form):
    """The admin adds or removes a social worker who may write learning content."""

    worker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        to_field_name="public_id",
        label=_("Sociaal werker"),
        empty_label=_("Kies een sociaal werker"),
        error_messages={
            "required": _("Kies een sociaal werker."),
            "invalid_choice": _("Kies een sociaal werker uit de lijst."),
        },
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
