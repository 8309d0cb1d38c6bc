"""Forms of blended trainings. The services check the same rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.trainings import DESCRIPTION_MAX, MAX_CAPACITY, MIN_CAPACITY, TITLE_MAX
from samenspraak.forms import PlainTextArea, PlainTextField


def _named(people: list[Any]) -> list[tuple[str, str]]:
    return [(str(p.public_id), p.full_name or p.username) for p in people]


class TrainingForm(forms.Form):
    title = PlainTextField(
        label=_("Titel"), max_length=TITLE_MAX, error_messages={"required": _("Geef de training een titel.")}
    )
    description = PlainTextArea(
        label=_("Beschrijving voor inwoners (B1)"),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text=_("Waar gaat de training over, voor wie is het en wat leert u? Schrijf in gewone taal."),
    )
    host = forms.ChoiceField(label=_("Begeleider"), error_messages={"required": _("Kies een begeleider.")})
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=MIN_CAPACITY,
        max_value=MAX_CAPACITY,
        error_messages={
            "required": _("Vul het aantal plaatsen in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Kies minstens 1 plaats."),
            "max_value": _("Kies hoogstens 100 plaatsen."),
        },
    )

    def __init__(self, *args: Any, hosts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hosts = {str(h.public_id): h for h in hosts}
        self.fields["host"].choices = [("", _("Kies een begeleider")), *_named(hosts)]  # type: ignore[attr-defined]
        self.fields["host"].error_messages["invalid_choice"] = _("Kies een begeleider uit de lijst.")

    def host_user(self) -> Any:
        return self.hosts[self.cleaned_data["host"]]


class SessionAttachForm(forms.Form):
    session = forms.ChoiceField(
        label=_("Groepsbijeenkomst"), error_messages={"required": _("Kies een groepsbijeenkomst.")}
    )

    def __init__(self, *args: Any, sessions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.public_id): s for s in sessions}
        self.fields["session"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een groepsbijeenkomst")),
            *(
                (key, f"{timezone.localtime(s.starts_at):%d-%m-%Y %H:%M} - {s.title}")
                for key, s in self.sessions.items()
            ),
        ]
        self.fields["session"].error_messages["invalid_choice"] = _("Kies een groepsbijeenkomst uit de lijst.")


class ModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(label=_("Modules"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, modules: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.available = {str(m.public_id): m for m in modules}
        self.fields["modules"].choices = [  # type: ignore[attr-defined]
            (key, m.published_version.title) for key, m in self.available.items()
        ]
        self.fields["modules"].error_messages["invalid_choice"] = _("Kies modules uit de lijst.")

    def chosen(self) -> list[Any]:
        return [self.available[key] for key in self.cleaned_data["modules"]]


class ParticipantAddForm(forms.Form):
    resident = forms.ChoiceField(label=_("Inwoner"), error_messages={"required": _("Kies een inwoner.")})

    def __init__(self, *args: Any, residents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.residents = {str(r.public_id): r for r in residents}
        self.fields["resident"].choices = [("", _("Kies een inwoner")), *_named(residents)]  # type: ignore[attr-defined]
        self.fields["resident"].error_messages["invalid_choice"] = _("Kies een inwoner uit de lijst.")


class TrainingChoiceForm(forms.Form):
    """A worker signs a resident of their caseload up for a training."""

    training = forms.ChoiceField(label=_("Training"), error_messages={"required": _("Kies een training.")})

    def __init__(self, *args: Any, trainings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainings = {str(t.public_id): t for t in trainings}
        self.fields["training"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een training")),
            *((key, t.title) for key, t in self.trainings.items()),
        ]
        self.fields["training"].error_messages["invalid_choice"] = _("Kies een training uit de lijst.")
