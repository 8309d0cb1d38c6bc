from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from samenspraak.dates import WorkableDateField


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
    # Days far outside the workable years fall off the calendar once turned
    # into a whole day in UTC (9999-12-31 + 1 day).
    date_from = WorkableDateField(label=_("Vanaf datum"), required=False)
    date_to = WorkableDateField(label=_("Tot en met datum"), required=False)

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
