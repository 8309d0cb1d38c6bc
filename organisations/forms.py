from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import STAFF_ROLE_CHOICES, BirthYearField, name_field_kwargs, phone_validator
from accounts.models import Role, User
from organisations.models import Team, TrustedPersonGrant, contrast_with_white, hex_colour_validator
from samenspraak.dates import WorkableDateField
from samenspraak.forms import PlainTextField


class StaffInviteForm(forms.Form):
    first_name = PlainTextField(label=_("Voornaam"), **name_field_kwargs)
    last_name = PlainTextField(label=_("Achternaam"), **name_field_kwargs)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    role = forms.ChoiceField(label=_("Rol"), choices=STAFF_ROLE_CHOICES)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Geen team"),
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class OrganisationForm(forms.Form):
    name = PlainTextField(label=_("Naam van de organisatie"), max_length=120)
    brand_colour = forms.CharField(
        label=_("Huiskleur"),
        help_text=_("Een donkere kleur, zodat witte tekst erop goed leesbaar is."),
        max_length=7,
        validators=[hex_colour_validator],
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=20, required=False, validators=[phone_validator])
    logo = forms.FileField(label=_("Logo (PNG of JPG, kleiner dan 1 MB)"), required=False)

    def clean_brand_colour(self) -> str:
        colour = str(self.cleaned_data["brand_colour"]).lower()
        # White text sits on the brand colour in the header and on buttons.
        if contrast_with_white(colour) < 4.5:
            raise forms.ValidationError(
                _("Deze kleur is te licht: witte tekst is er slecht op te lezen. Kies een donkerdere kleur.")
            )
        return colour


class AppointmentSettingsForm(forms.Form):
    """Appointment rules of the organisation, and an optional Jitsi server."""

    appointment_change_deadline_hours = forms.IntegerField(
        label=_("Inwoners kunnen online verzetten of afzeggen tot zoveel uur vóór de afspraak"),
        min_value=0,
        max_value=168,
    )
    appointment_reminder_hours = forms.IntegerField(
        label=_("Herinnering sturen, zoveel uur vóór de afspraak"),
        help_text=_("0 betekent: geen herinnering."),
        min_value=0,
        max_value=168,
    )
    jitsi_base_url = forms.URLField(
        label=_("Eigen Jitsi-server voor beeldbellen (niet verplicht)"),
        help_text=_(
            "Bijvoorbeeld https://meet.uworganisatie.nl. Leeg laten: Samenspraak gebruikt het eigen beeldbellen."
        ),
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    def clean_jitsi_base_url(self) -> str:
        url = str(self.cleaned_data["jitsi_base_url"]).strip()
        if not url:
            return ""
        parts = urlsplit(url)
        # Only the address of the server: the room name is added per appointment.
        if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc or parts.query or parts.fragment:
            raise forms.ValidationError(
                _("Vul het adres van de server in, beginnend met https://, zonder iets erachter.")
            )
        return url.rstrip("/")


class TeamForm(forms.Form):
    name = PlainTextField(label=_("Naam van het team"), max_length=120)


class LocationForm(forms.Form):
    name = PlainTextField(label=_("Naam"), max_length=120)
    street = PlainTextField(label=_("Straat en huisnummer"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[1-9][0-9]{3} ?[A-Za-z]{2}$",
        max_length=7,
        required=False,
        error_messages={"invalid": _("Vul een postcode in zoals 1234 AB.")},
    )
    city = PlainTextField(label=_("Plaats"), max_length=120, required=False)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=20, required=False, validators=[phone_validator])
    is_active = forms.BooleanField(label=_("In gebruik"), required=False, initial=True)


class AccountForm(forms.Form):
    first_name = PlainTextField(label=_("Voornaam"), max_length=100)
    last_name = PlainTextField(label=_("Achternaam"), max_length=100)
    role = forms.ChoiceField(label=_("Rol"))
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("Geen team"),
    )
    is_active = forms.BooleanField(label=_("Account mag inloggen"), required=False)
    birth_year = BirthYearField()

    def __init__(self, *args: Any, teams: Any, is_staff_account: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        if is_staff_account:
            # Only residents' birth years count (the benchmark's age bands).
            del self.fields["birth_year"]
            self.fields["role"].choices = STAFF_ROLE_CHOICES  # type: ignore[attr-defined]
        else:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (Role.RESIDENT.value, Role.RESIDENT.label),
                (Role.TRUSTED_PERSON.value, Role.TRUSTED_PERSON.label),
            ]


class AssignWorkerForm(forms.Form):
    worker = forms.ModelChoiceField(
        label=_("Sociaal werker"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=_("Kies een sociaal werker"),
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class _TrustedPersonFields(forms.Form):
    """Who may look along, with what, and until when: shared by the
    resident's own invitation and a worker's registration on paper
    (``casefiles.forms.TrustedPersonRegisterForm``)."""

    first_name = PlainTextField(label=_("Voornaam"), max_length=100)
    last_name = PlainTextField(label=_("Achternaam"), max_length=100)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Deze persoon krijgt een e-mail om een eigen account te maken."),
        max_length=254,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Wat mag deze persoon zien?"),
        choices=TrustedPersonGrant.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één ding dat deze persoon mag zien.")},
    )
    ends_on = WorkableDateField(
        label=_("Tot wanneer? (mag leeg blijven)"),
        help_text=_("Tot en met deze dag. Leeg: tot u het stopt."),
        required=False,
    )

    def clean_ends_on(self) -> date | None:
        ends_on: date | None = self.cleaned_data.get("ends_on")
        if ends_on is not None and ends_on < timezone.localdate():
            raise forms.ValidationError(_("Kies vandaag of een dag later."))
        return ends_on


# The name other modules use; the class keeps its underscore so the
# generated-input test (tests/test_hypothesis_forms.py) sees a base, not a form.
TrustedPersonFields = _TrustedPersonFields


class TrustedPersonInviteForm(_TrustedPersonFields):
    understood = forms.BooleanField(
        label=_("Ik begrijp dat deze persoon dit kan zien, tot ik het stop."),
        error_messages={"required": _("Zet een vinkje als u dit begrijpt.")},
    )


class OrganisationCreateForm(forms.Form):
    name = PlainTextField(label=_("Naam van de organisatie"), max_length=120)
    slug = forms.SlugField(
        label=_("Korte naam"),
        help_text=_("Alleen kleine letters, cijfers en streepjes, bijvoorbeeld welzijn-oost."),
        max_length=60,
    )
    admin_first_name = PlainTextField(label=_("Voornaam van de eerste beheerder"), max_length=100)
    admin_last_name = PlainTextField(label=_("Achternaam van de eerste beheerder"), max_length=100)
    admin_email = forms.EmailField(label=_("E-mailadres van de eerste beheerder"), max_length=254)


class CaseloadFilterForm(forms.Form):
    zoek = PlainTextField(label=_("Zoek op naam"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("Alle")), ("active", _("Actief")), ("invited", _("Uitgenodigd"))],
    )
    aandacht = forms.ChoiceField(
        label=_("Vraagt aandacht"),
        required=False,
        choices=[
            ("", _("Alles")),
            ("review", _("Plan bekijken binnen 2 weken")),
            ("corrections", _("Vraag om correctie open")),
            ("unread", _("Iets nieuws van de inwoner")),
        ],
    )
