from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DisplayForm(forms.Form):
    large_text = forms.BooleanField(label=_("Grote letters"), required=False)
    high_contrast = forms.BooleanField(label=_("Sterk contrast (zwart op wit)"), required=False)
