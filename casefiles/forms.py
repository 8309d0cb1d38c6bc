from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from casefiles.models import Case, Goal, GoalAction, SupportQuestion
from organisations.forms import TrustedPersonFields
from samenspraak.dates import WorkableDateField
from samenspraak.forms import PlainTextArea, PlainTextField


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Wat wilt u doen?"),
        choices=[
            (Case.Status.PAUSED, _("Dossier pauzeren")),
            (Case.Status.OPEN, _("Dossier weer openen")),
            (Case.Status.CLOSED, _("Dossier afsluiten")),
        ],
    )
    reason = PlainTextField(label=_("Reden"), max_length=500, required=False)


class QuestionForm(forms.Form):
    title = PlainTextField(label=_("Hulpvraag, in de woorden van de inwoner"), max_length=200)
    description = PlainTextArea(label=_("Toelichting (niet verplicht)"), max_length=5000, required=False)


class GoalForm(forms.Form):
    title = PlainTextField(label=_("Doel"), max_length=200)
    description = PlainTextArea(label=_("Toelichting (niet verplicht)"), max_length=5000, required=False)
    question = forms.ModelChoiceField(
        label=_("Bij hulpvraag"),
        queryset=SupportQuestion.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Voor het hele dossier"),
    )
    target_date = WorkableDateField(label=_("Streefdatum (niet verplicht)"), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = SupportQuestion.objects.filter(case=case)  # type: ignore[attr-defined]


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status van het doel"), choices=Goal.Status.choices)


class QuestionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status van de hulpvraag"), choices=SupportQuestion.Status.choices)


class GoalActionForm(forms.Form):
    description = PlainTextField(label=_("Stap"), max_length=300)
    owner = forms.ChoiceField(label=_("Wie doet dit?"), choices=GoalAction.Owner.choices)
    due_date = WorkableDateField(label=_("Wanneer klaar? (niet verplicht)"), required=False)


class AgreementForm(forms.Form):
    text = PlainTextField(label=_("Afspraak"), max_length=500)


class NoteForm(forms.Form):
    body = PlainTextArea(label=_("Notitie"), max_length=10_000)
    visibility = forms.ChoiceField(
        label=_("Wie mag deze notitie lezen?"),
        choices=[
            ("shared", _("Ook de inwoner (gedeeld)")),
            ("internal", _("Alleen medewerkers (intern)")),
        ],
        widget=forms.RadioSelect,
    )


class DocumentForm(forms.Form):
    title = PlainTextField(label=_("Naam van het document"), max_length=200)
    file = forms.FileField(label=_("Bestand (PDF, foto, Word of Excel; kleiner dan 10 MB)"))
    visibility = forms.ChoiceField(
        label=_("Wie mag dit document zien?"),
        choices=[
            ("shared", _("Ook de inwoner (gedeeld)")),
            ("internal", _("Alleen medewerkers (intern)")),
        ],
        widget=forms.RadioSelect,
        initial="shared",
    )


class ResidentDocumentForm(forms.Form):
    title = PlainTextField(label=_("Waar gaat het over?"), max_length=200)
    file = forms.FileField(label=_("Bestand of foto (kleiner dan 10 MB)"))


class CommentForm(forms.Form):
    body = PlainTextArea(label=_("Uw reactie"), max_length=2000)


class CorrectionRequestForm(forms.Form):
    text = PlainTextArea(
        label=_("Wat klopt er niet, en wat moet het zijn?"),
        help_text=_("U hebt het recht om onjuiste gegevens te laten verbeteren."),
        max_length=2000,
    )


class CorrectionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("accept", _("Ik pas het aan")), ("decline", _("Ik pas het niet aan"))],
        widget=forms.RadioSelect,
    )
    answer_text = PlainTextArea(label=_("Antwoord aan de inwoner"), max_length=2000)
    corrected_body = PlainTextArea(
        label=_("Verbeterde tekst van de notitie (alleen bij aanpassen)"), max_length=10_000, required=False
    )


class HandoverForm(forms.Form):
    to_worker = forms.ModelChoiceField(
        label=_("Nieuwe sociaal werker"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Kies een sociaal werker"),
    )
    from_worker = forms.ModelChoiceField(
        label=_("In plaats van"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Kies een sociaal werker"),
    )

    def __init__(self, *args: Any, candidates: Any, current: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["from_worker"].queryset = current  # type: ignore[attr-defined]


class TrustedPersonRegisterForm(TrustedPersonFields):
    """A worker registers a trusted person on paper (the resident signed):
    the resident's own invitation form, with the signed form added."""

    signed_form = forms.FileField(
        label=_("Het formulier dat de inwoner tekende (PDF of foto)"),
        error_messages={"required": _("Voeg het getekende formulier toe. Zonder handtekening kan het niet.")},
    )
    confirmed = forms.BooleanField(
        label=_("De inwoner heeft zelf gekozen wie mag meekijken en wat, en heeft het formulier getekend."),
        error_messages={"required": _("Zet een vinkje als de inwoner het formulier heeft getekend.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Said to the worker, about the resident.
        self.fields["first_name"].label = _("Voornaam van de vertrouwenspersoon")
        self.fields["scopes"].label = _("Wat mag deze persoon zien en doen?")
        self.fields["ends_on"].help_text = _("Tot en met deze dag. Leeg: tot de inwoner het stopt.")
