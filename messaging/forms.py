from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from messaging.services import MAX_BODY_CHARACTERS
from samenspraak.forms import PlainTextArea


class MessageForm(forms.Form):
    body = PlainTextArea(
        label=_("Uw bericht"),
        max_length=MAX_BODY_CHARACTERS,
        error_messages={"required": _("Uw bericht is leeg. Typ eerst iets.")},
    )
    client_key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput)
    attachment = forms.FileField(label=_("Bijlage (niet verplicht): PDF, foto of Word-bestand"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # A message may be only an attachment; the service checks that one
        # of the two is there.
        self.fields["body"].required = False


class MessageEditForm(forms.Form):
    body = PlainTextArea(label=_("Uw bericht"), max_length=MAX_BODY_CHARACTERS)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek in uw berichten"), max_length=100, min_length=2)


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Naam van de groep"), max_length=120)
    residents = forms.ModelMultipleChoiceField(
        label=_("Deelnemers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args: object, residents: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["residents"].queryset = residents  # type: ignore[attr-defined]


class AddMemberForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("Inwoner toevoegen"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Kies een inwoner"),
    )

    def __init__(self, *args: object, residents: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["resident"].queryset = residents  # type: ignore[attr-defined]
