from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NamingForm(forms.Form):
    is_named = forms.BooleanField(
        label=_("Toon onze naam aan de andere organisaties in de benchmark"),
        help_text=_("Zonder deze keuze ziet een andere organisatie ons als “Organisatie B” (een letter per kwartaal)."),
        required=False,
    )
