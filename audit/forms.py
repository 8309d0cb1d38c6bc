from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# Dates far outside these fall off the calendar once turned into a whole
# day in UTC (9999-12-31 + 1 day), so they are refused as input.
DATE_VALIDATORS = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


class AccessLogSearchForm(forms.Form):
    subject = forms.ModelChoiceField(
        label=_("Inwoner"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Alle inwoners"),
    )
    actor = forms.ModelChoiceField(
        label=_("Gebruiker"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Alle gebruikers"),
    )
    date_from = forms.DateField(
        label=_("Vanaf datum"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Tot en met datum"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, residents: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = residents  # type: ignore[attr-defined]
        self.fields["actor"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return cleaned
