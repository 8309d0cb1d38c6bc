"""Session rules that hold on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import MFA_REQUIRED_ROLES, STAFF_ROLES, Role
from accounts.oidc import session_counts_as_two_factor

LAST_SEEN_KEY = "last_seen"


def idle_limit_seconds(role: str) -> int:
    minutes = settings.SESSION_IDLE_MINUTES_STAFF if role in STAFF_ROLES else settings.SESSION_IDLE_MINUTES_RESIDENT
    return int(minutes) * 60


class IdleSessionTimeoutMiddleware:
    """Sign out after a period without requests (staff 15, residents 30 min).

    The timestamp is written at most once a minute, so ordinary browsing does
    not rewrite the session on every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > idle_limit_seconds(user.role):
                logout(request)
                messages.info(request, _("U was een tijd niet actief. Log opnieuw in."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# Paths a staff member without a second factor may still use: setting one
# up, signing out, and what every page needs.
MFA_SETUP_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/health/",
    "/i18n/",
    "/weergave/",
    "/branding/",
)


class StaffMustUseMFAMiddleware:
    """Every staff role, and every trusted person, must have TOTP or a
    passkey before doing anything (``MFA_REQUIRED_ROLES``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # Checked on every request (one indexed query), not remembered in the
        # session: a factor removed in another session counts at once.
        if (
            user.is_authenticated
            and user.role in MFA_REQUIRED_ROLES
            and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES)
            # Signed in with DigiD at the required level (substantial is
            # multi-factor; only residents and trusted persons can).
            and not session_counts_as_two_factor(request.session)
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.warning(
                request,
                _(
                    "Stel eerst een tweede stap in voor het inloggen. Dat is verplicht, omdat u de gegevens van "
                    "iemand anders kunt zien. Een passkey op uw telefoon is het makkelijkst."
                )
                if user.role == Role.TRUSTED_PERSON
                else _("Stel eerst een tweede stap in voor het inloggen. Dat is verplicht voor medewerkers."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
