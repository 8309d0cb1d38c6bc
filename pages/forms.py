from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspraak.forms import PlainTextField


class DisplayForm(forms.Form):
    large_text = forms.BooleanField(label=_("Grote letters"), required=False)
    high_contrast = forms.BooleanField(label=_("Sterk contrast (zwart op wit)"), required=False)


class PreferredNameForm(forms.Form):
    preferred_name = PlainTextField(
        label=_("Uw naam in groepsgesprekken"),
        help_text=_("Alleen deze naam zien de andere deelnemers. Laat leeg om uw voornaam te gebruiken."),
        max_length=60,
        required=False,
    )
