from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm
from django import forms
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.codes import normalise_code
from accounts.models import STAFF_ROLES, Invitation, Role
from samenspraak.forms import PlainTextField

name_field_kwargs: dict[str, Any] = {"max_length": 100}
phone_validator = RegexValidator(
    r"^[0-9+() -]{6,20}$", _("Vul een telefoonnummer in, bijvoorbeeld 010 123 45 67 of +31 6 12345678.")
)


BIRTH_YEAR_FIRST = 1900
BIRTH_YEAR_MINIMUM_AGE = 12


class BirthYearField(forms.IntegerField):
    """A resident's birth year, optional: only the year (data minimisation),
    for the benchmark's figures of who uses online help."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Geboortejaar (niet verplicht)"))
        kwargs.setdefault(
            "help_text",
            _("Alleen het jaar. Voor cijfers over wie online hulp gebruikt; nooit om iemand te herkennen."),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Vul een jaartal in met vier cijfers, bijvoorbeeld 1960.")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        last = timezone.localdate().year - BIRTH_YEAR_MINIMUM_AGE
        if not BIRTH_YEAR_FIRST <= value <= last:
            raise forms.ValidationError(
                _("Vul een geboortejaar in tussen %(first)s en %(last)s.") % {"first": BIRTH_YEAR_FIRST, "last": last}
            )


class ResidentInviteForm(forms.Form):
    first_name = PlainTextField(label=_("Voornaam"), **name_field_kwargs)
    last_name = PlainTextField(label=_("Achternaam"), **name_field_kwargs)
    channel = forms.ChoiceField(
        label=_("Hoe krijgt de inwoner de uitnodiging?"),
        choices=[
            (Invitation.Channel.LETTER, _("Als brief met een code (ook zonder e-mail)")),
            (Invitation.Channel.EMAIL, _("Per e-mail")),
        ],
        widget=forms.RadioSelect,
        initial=Invitation.Channel.LETTER,
    )
    email = forms.EmailField(label=_("E-mailadres (niet verplicht)"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Telefoonnummer (niet verplicht)"), required=False, max_length=20, validators=[phone_validator]
    )
    birth_year = BirthYearField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("channel") == Invitation.Channel.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Vul een e-mailadres in, of kies voor een brief."))
        return cleaned


STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES and r != Role.PLATFORM_ADMIN]


class ActivationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Uw code"),
        help_text=_("De code staat op uw brief, bijvoorbeeld ABCD-EFGH-JKMN."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Deze code klopt niet. Kijk goed of u alle tekens hebt overgetypt."))
        return code


username_validator = RegexValidator(
    r"^[A-Za-z0-9._-]{3,40}$",
    _("Gebruik 3 tot 40 letters of cijfers. Een punt (.), streepje (-) of laag streepje (_) mag ook."),
)


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Kies een nieuw wachtwoord"),
        help_text=_("Minstens 10 tekens. Een zin van een paar woorden is makkelijk te onthouden."),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("De twee wachtwoorden zijn niet gelijk."))
        return cleaned


class ChooseCredentialsForm(NewPasswordForm):
    field_order = ["username", "password", "password_again"]
    username = forms.CharField(
        label=_("Kies een gebruikersnaam"),
        max_length=40,
        validators=[username_validator],
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Kies een wachtwoord")


class PasswordResetForm(ResetPasswordForm):
    """allauth's reset form, but the mail goes out after the answer
    (``accounts.tasks.password_reset_email_send``): looking up the account,
    making the link and talking to the mail server no longer make a known
    address answer slower than an unknown one."""

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        from accounts.tasks import password_reset_email_enqueue

        email: str = self.cleaned_data["email"]
        transaction.on_commit(lambda: password_reset_email_enqueue(email=email))
        return email
