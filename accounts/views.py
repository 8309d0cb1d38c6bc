"""Onboarding: inviting residents, activation letters and codes."""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.core.ratelimit import consume as ratelimit_consume
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import ActivationCodeForm, ChooseCredentialsForm, NewPasswordForm, ResidentInviteForm
from accounts.letters import activation_letter_pdf
from accounts.models import Invitation, User
from accounts.services import (
    InvitationError,
    IssuedInvitation,
    invitation_accept,
    invitation_find,
    invitation_renew,
    resident_invite,
)
from audit.models import AccessLogEntry
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, require_permission, resident_get_for_user

INVITATION_SESSION_KEY = "activation_invitation_id"


def _letter_response(*, resident: User, worker: User, issued: IssuedInvitation) -> HttpResponse:
    organisation = resident.organisation
    assert organisation is not None
    pdf = activation_letter_pdf(
        organisation_name=organisation.name,
        organisation_phone=organisation.phone,
        brand_colour=organisation.brand_colour,
        resident_name=resident.full_name,
        worker_name=worker.full_name,
        code=issued.secret,
        activation_url=settings.SITE_URL + reverse("accounts:activate"),
        expires_at=issued.invitation.expires_at,
        is_recovery=issued.invitation.is_recovery,
        username=resident.username if issued.invitation.is_recovery else "",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # No name in the file name: it ends up in download folders and logs.
    response["Content-Disposition"] = 'attachment; filename="activatiebrief-samenspraak.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.INVITE_RESIDENTS)
@require_http_methods(["GET", "POST"])
def resident_invite_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ResidentInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = resident_invite(
                invited_by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                channel=data["channel"],
                birth_year=data["birth_year"],
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            resident = issued.invitation.user
            if issued.invitation.channel == Invitation.Channel.EMAIL:
                messages.success(request, _("De uitnodiging is verstuurd per e-mail."))
            else:
                messages.success(
                    request,
                    _("Het account is klaargezet. Druk nu de brief af: de code staat alleen op deze brief."),
                )
            return redirect("organisations:resident_detail", public_id=resident.public_id)
    return render(request, "accounts/resident_invite.html", {"form": form})


@require_permission(Permission.INVITE_RESIDENTS)
@require_POST
def resident_letter_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Issue a new code and return the letter. The old code stops working."""
    resident = resident_get_for_user(
        user=request.user,
        public_id=public_id,
        action=AccessLogEntry.Action.PRINT,
        object_type="invitation",
    )
    try:
        issued = invitation_renew(
            user=resident,
            renewed_by=request.user,
            channel=Invitation.Channel.LETTER,
        )
    except InvitationError as error:
        messages.error(request, str(error))
        return redirect("organisations:resident_detail", public_id=resident.public_id)
    return _letter_response(resident=resident, worker=request.user, issued=issued)


@never_cache
@require_http_methods(["GET", "POST"])
def activate_view(request: HttpRequest) -> HttpResponse:
    """Step 1 for a letter: type the code."""
    if request.user.is_authenticated:
        return redirect("home")
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit_consume(request, action="activate"):
            form.is_valid()
            form.errors.clear()
            form.add_error(
                None, _("U hebt te vaak een verkeerde code geprobeerd. Wacht een kwartier en probeer het dan opnieuw.")
            )
            return render(request, "accounts/activate.html", {"form": form}, status=429)
        if form.is_valid():
            invitation = invitation_find(secret=form.cleaned_data["code"])
            if invitation is None or invitation.channel != Invitation.Channel.LETTER:
                form.add_error(
                    "code",
                    _(
                        "Deze code werkt niet. Misschien is hij al gebruikt of verlopen. Vraag uw sociaal werker om een nieuwe brief."
                    ),
                )
            else:
                request.session[INVITATION_SESSION_KEY] = invitation.pk
                return redirect("accounts:choose_credentials")
    return render(request, "accounts/activate.html", {"form": form})


@never_cache
def accept_invitation_view(request: HttpRequest, token: str | None = None) -> HttpResponse:
    """Step 1 for an email: the link carries the token in its query string
    (``?code=``; in the path for links sent before). The invitation is kept
    in the session and the browser goes on to an address without the token,
    so it is not in the history, a Referer or a later access-log line."""
    token = token or request.GET.get("code", "")
    # The link is opened with a GET, which allauth's public consume() never
    # counts; the internal one can, so guessing links is throttled as well.
    if not allauth_ratelimit.consume(request, app="allauth.account", action="activate", limit_get=True):
        return render(request, "accounts/invitation_invalid.html", {"rate_limited": True}, status=429)
    invitation = invitation_find(secret=token)
    if invitation is None or invitation.channel != Invitation.Channel.EMAIL:
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    return redirect("accounts:choose_credentials")


@never_cache
@require_http_methods(["GET", "POST"])
def choose_credentials_view(request: HttpRequest) -> HttpResponse:
    """Step 2: choose a username and password; then the person is signed in."""
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    invitation = (
        Invitation.objects.usable().select_related("user", "organisation").filter(pk=int(invitation_id)).first()
        if isinstance(invitation_id, int)
        else None
    )
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form_class = NewPasswordForm if invitation.is_recovery else ChooseCredentialsForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation_id=invitation.pk,
                username=None if invitation.is_recovery else form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error("password", error)
        except InvitationError as error:
            form.add_error(None, str(error))
        except IntegrityError:
            form.add_error("username", _("Deze gebruikersnaam is al bezet. Kies een andere."))
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Uw account is klaar. Welkom bij Samenspraak!"))
            return redirect("home")
    return render(
        request,
        "accounts/choose_credentials.html",
        {
            "form": form,
            "invited_user": invitation.user,
            "organisation": invitation.organisation,
            "is_recovery": invitation.is_recovery,
        },
    )


class RemovePasskeyView(RemoveWebAuthnView):
    """allauth's passkey removal, but staff keep at least one second factor
    (allauth asks the adapter only when TOTP is switched off)."""

    def form_valid(self, form: Any) -> HttpResponse:
        authenticator = self.get_object()
        if not get_mfa_adapter().can_delete_authenticator(authenticator):
            messages.error(
                self.request,
                _("Medewerkers houden altijd een tweede stap. Stel eerst een andere passkey of code-app in."),
            )
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)


remove_passkey_view = RemovePasskeyView.as_view()
