"""Signing in with DigiD (an OpenID Connect provider) and linking it to an
account (accounts/oidc.py, docs/oidc.md). Every view answers 404 while the
provider is not configured."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import jwt
import requests
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.models import ExternalIdentity
from accounts.oidc import (
    LINK_SESSION_KEY,
    SIGNED_IN_ACR_SESSION_KEY,
    SignInRefused,
    accepted_acr_values,
    oidc_is_enabled,
    provider_configuration,
)
from accounts.services import EXTERNAL_SIGN_IN_ROLES, external_identity_unlink
from samenspraak.http import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)

# What can go wrong between us and the provider: it cannot be reached or
# answers an error, a token that fails a check, a forged or replayed state.
PROVIDER_ERRORS = (requests.RequestException, jwt.PyJWTError, SuspiciousOperation, KeyError, ValueError)


def _failed_message() -> str:
    return _("Inloggen met DigiD is niet gelukt. Probeer het opnieuw, of log in met uw gebruikersnaam.")


def oidc_required[**P](view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not oidc_is_enabled():
            raise Http404
        return view(*args, **kwargs)

    return wrapper


class SignInStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a new state, nonce and PKCE
    challenge (kept in the session by the library)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_is_enabled():
            raise Http404
        if request.user.is_authenticated:
            return redirect("home")
        request.session.pop(LINK_SESSION_KEY, None)
        return self.start(request)

    def start(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_configuration().authorization_endpoint
        except PROVIDER_ERRORS as error:
            logger.warning("OIDC provider unreachable: %s", type(error).__name__)
            messages.error(request, _("Inloggen met DigiD kan nu niet. Probeer het later opnieuw."))
            return redirect("accounts:oidc_link" if request.user.is_authenticated else "account_login")
        response: HttpResponse = super().get(request)
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"acr_values": " ".join(accepted_acr_values(settings.OIDC_REQUIRED_ACR))}


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. Signs in (or, after
    "Koppel DigiD", links) or tells why not; never a 500."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_is_enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except SignInRefused as refusal:
            return self._refuse(str(refusal))
        except PROVIDER_ERRORS as error:
            logger.warning("OIDC sign-in failed: %s: %s", type(error).__name__, error)
            return self._refuse(_failed_message())
        return response

    def _refuse(self, message: str) -> HttpResponse:
        linking = self.request.session.pop(LINK_SESSION_KEY, None)
        messages.error(self.request, message)
        return redirect("accounts:oidc_link" if linking and self.request.user.is_authenticated else "account_login")

    def login_failure(self) -> HttpResponse:
        return self._refuse(_failed_message())

    def login_success(self) -> HttpResponse:
        request = self.request
        if request.session.pop(LINK_SESSION_KEY, None):
            messages.success(request, _("DigiD is gekoppeld. U kunt voortaan inloggen met DigiD."))
            return redirect("accounts:oidc_link")
        acr = request.session.get(SIGNED_IN_ACR_SESSION_KEY)
        auth.login(request, self.user)
        # Set again: signing in over someone else's session empties it.
        request.session[SIGNED_IN_ACR_SESSION_KEY] = acr
        record_authentication(request, self.user, method="oidc")
        return HttpResponseRedirect(self.success_url)


def linking_role_required[**P](view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """Only residents and trusted persons have a DigiD link; for everyone
    else the pages do not exist (checked before re-authentication)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        request = args[0]
        assert isinstance(request, HttpRequest)
        if getattr(request.user, "role", None) not in EXTERNAL_SIGN_IN_ROLES:
            raise Http404
        return view(*args, **kwargs)

    return wrapper


@oidc_required
@login_required
@linking_role_required
@require_GET
def link_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    identity = ExternalIdentity.objects.filter(user=request.user).first()
    return render(request, "accounts/oidc_link.html", {"identity": identity})


@oidc_required
@login_required
@linking_role_required
@require_POST
@reauthentication_required
def link_start_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Asks for the password again (allauth's re-authentication), then
    sends the browser to the provider; the callback links instead of
    signing in."""
    request.session[LINK_SESSION_KEY] = str(request.user.public_id)
    view = SignInStartView()
    view.setup(request)
    return view.start(request)


@oidc_required
@login_required
@linking_role_required
@require_POST
def unlink_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if external_identity_unlink(user=request.user):
        messages.success(request, _("DigiD is ontkoppeld. U logt weer in met uw gebruikersnaam en wachtwoord."))
    return redirect("accounts:oidc_link")


def sign_in_start_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    return SignInStartView.as_view()(request, *args, **kwargs)


def callback_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    return CallbackView.as_view()(request, *args, **kwargs)
