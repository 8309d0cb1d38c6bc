"""Home pages per area, display settings, the security overview, health."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from accounts.services import preferred_name_set
from appointments.selectors import next_appointment_of
from feedback.selectors import feedback_offer_open
from organisations.forms import TrustedPersonInviteForm
from organisations.models import Location, TrustedPersonGrant
from organisations.services import OrganisationError, trusted_person_grant_revoke, trusted_person_invite
from pages.display import COOKIE_NAME, display_cookie_value, display_options
from pages.forms import DisplayForm, PreferredNameForm
from pages.health import run_checks
from pages.news import NewsItem, news_visit
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    has_permission,
    organisation_id_of,
    parse_public_id,
    require_permission,
    resident_get_for_user,
)

ONE_YEAR = 365 * 24 * 3600

HOME_BY_PERMISSION = [
    (Permission.USE_RESIDENT_AREA, "pages:resident_home"),
    (Permission.USE_CASEWORK, "pages:today"),
    (Permission.MANAGE_ORGANISATION, "organisations:admin_home"),
    (Permission.VIEW_ACCESS_LOG, "audit:access_log"),
    (Permission.MANAGE_PLATFORM, "organisations:platform_home"),
]


@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    for permission, url_name in HOME_BY_PERMISSION:
        if has_permission(request.user, permission):
            return redirect(url_name)
    return render(request, "pages/staff_home.html")


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    healthy = all(state == "ok" for state in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@require_http_methods(["GET", "POST"])
def display_view(request: HttpRequest) -> HttpResponse:
    current = display_options(request)
    form = DisplayForm(
        request.POST or None, initial={"large_text": "groot" in current, "high_contrast": "contrast" in current}
    )
    if request.method == "POST" and form.is_valid():
        chosen = set()
        if form.cleaned_data["large_text"]:
            chosen.add("groot")
        if form.cleaned_data["high_contrast"]:
            chosen.add("contrast")
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/weergave/"
        messages.success(request, _("Uw keuze voor de weergave is opgeslagen."))
        response = redirect(next_url)
        response.set_cookie(
            COOKIE_NAME,
            display_cookie_value(chosen),
            max_age=ONE_YEAR,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
        return response
    return render(request, "pages/display.html", {"form": form})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def resident_home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    workers = User.objects.none()
    grants_received = TrustedPersonGrant.objects.none()
    next_appointment = None
    news: list[NewsItem] = []
    feedback_offer = None
    if user.role == Role.RESIDENT:
        resident = resident_get_for_user(user=user, public_id=user.public_id, object_type="home")
        workers = User.objects.filter(caseload_assignments__resident=resident).only("first_name", "last_name", "phone")
        next_appointment = next_appointment_of(resident=resident)
        news = news_visit(resident=resident, session=request.session)
        feedback_offer = feedback_offer_open(resident=resident)
    else:
        grants_received = TrustedPersonGrant.objects.in_force().filter(trusted_person=user).select_related("resident")
    locations = Location.objects.filter(organisation_id=organisation_id_of(user), is_active=True)
    has_passkey = Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
    return render(
        request,
        "pages/resident_home.html",
        {
            "workers": workers,
            "locations": locations,
            "has_passkey": has_passkey,
            "grants_received": grants_received,
            "next_appointment": next_appointment,
            "news": news,
            "feedback_offer": feedback_offer,
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def trusted_persons_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(user=user, public_id=user.public_id, object_type="trusted_person_grant")
    grants = TrustedPersonGrant.objects.filter(resident=resident, revoked_at__isnull=True).select_related(
        "trusted_person"
    )
    return render(request, "pages/trusted_persons.html", {"grants": grants, "today": timezone.localdate()})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def trusted_person_invite_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user,
        public_id=user.public_id,
        action="create" if request.method == "POST" else "view",
        object_type="trusted_person_grant",
    )
    form = TrustedPersonInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trusted_person_invite(
                resident=resident,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                scopes=data["scopes"],
                ends_on=data.get("ends_on"),
            )
        except OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Klaar. Deze persoon krijgt een e-mail om mee te kunnen kijken."))
            return redirect("pages:trusted_persons")
    return render(request, "pages/trusted_person_invite.html", {"form": form})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def trusted_person_revoke_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user, public_id=user.public_id, action="change", object_type="trusted_person_grant"
    )
    grant = TrustedPersonGrant.objects.filter(
        resident=resident, public_id=parse_public_id(public_id), revoked_at__isnull=True
    ).first()
    if grant is None:
        raise Http404
    trusted_person_grant_revoke(grant=grant, revoked_by=user)
    messages.success(request, _("De toestemming is ingetrokken. Deze persoon kan nu niets meer zien."))
    return redirect("pages:trusted_persons")


@login_required
@require_GET
def security_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    authenticators = Authenticator.objects.filter(user=request.user)
    types = {a.type for a in authenticators}
    return render(
        request,
        "pages/security.html",
        {
            "has_totp": Authenticator.Type.TOTP in types,
            "passkey_count": sum(1 for a in authenticators if a.type == Authenticator.Type.WEBAUTHN),
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def preferred_name_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user,
        public_id=request.user.public_id,
        action="change" if request.method == "POST" else "view",
        object_type="account",
    )
    form = PreferredNameForm(request.POST or None, initial={"preferred_name": resident.preferred_name})
    if request.method == "POST" and form.is_valid():
        preferred_name_set(user=resident, name=form.cleaned_data["preferred_name"])
        messages.success(request, _("Uw naam voor groepsgesprekken is opgeslagen."))
        return redirect("pages:resident_home")
    return render(request, "pages/preferred_name.html", {"form": form})
