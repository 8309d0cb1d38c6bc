from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
