"""Caseload for workers; organisation management for admins; branding."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES, Invitation, Role, User
from accounts.services import InvitationError, invitation_renew, staff_invite
from organisations import selectors
from organisations.forms import (
    AccountForm,
    AppointmentSettingsForm,
    AssignWorkerForm,
    CaseloadFilterForm,
    LocationForm,
    OrganisationCreateForm,
    OrganisationForm,
    StaffInviteForm,
    TeamForm,
)
from organisations.models import Location, Organisation, Team
from organisations.services import (
    LOGO_MAX_BYTES,
    OrganisationError,
    caseload_assign,
    caseload_unassign,
    location_save,
    organisation_appointment_settings_update,
    organisation_create,
    organisation_update,
    team_create,
    team_rename,
    user_update_by_admin,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    organisation_id_of,
    parse_public_id,
    require_permission,
    resident_get_for_user,
    residents_log_listed,
    user_get_for_admin,
    users_for_admin,
)

PAGE_SIZE = 50


# --- Casework ----------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def caseload_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaseloadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    residents = selectors.caseload_list(
        user=request.user,
        search=filters.get("zoek", ""),
        status=filters.get("status", ""),
        attention=filters.get("aandacht", ""),
    )
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("pagina"))
    residents_log_listed(user=request.user, residents=page.object_list)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "organisations/caseload.html",
        {"page": page, "form": form, "query": query.urlencode() if filters else "", "today": timezone.localdate()},
    )


@require_permission(Permission.USE_CASEWORK)
@require_GET
def resident_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "organisations/resident_detail.html",
        {
            "resident": resident,
            "workers": User.objects.filter(caseload_assignments__resident=resident),
            "invitations": selectors.resident_invitations(resident=resident),
            "grants": selectors.resident_grants(resident=resident),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def resident_email_invitation_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user,
        public_id=public_id,
        action="change",
        object_type="invitation",
    )
    try:
        invitation_renew(user=resident, renewed_by=request.user, channel=Invitation.Channel.EMAIL)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Er is een nieuwe uitnodiging per e-mail verstuurd."))
    return redirect("organisations:resident_detail", public_id=resident.public_id)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def resident_colleague_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A worker adds a colleague (for example during leave); the colleague
    can see the file and the resident's conversation at once."""
    resident = resident_get_for_user(user=request.user, public_id=public_id, action="change", object_type="caseload")
    form = AssignWorkerForm(
        request.POST,
        workers=selectors.casework_staff(organisation_id=organisation_id_of(request.user)),
        prefix="colleague",
    )
    if form.is_valid():
        try:
            caseload_assign(resident=resident, worker=form.cleaned_data["worker"], assigned_by=request.user)
        except OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s begeleidt deze inwoner nu ook.") % {"name": form.cleaned_data["worker"].full_name},
            )
    else:
        messages.error(request, _("Kies een collega uit de lijst."))
    return redirect("casefiles:staff_casefile", public_id=resident.public_id)


# --- Organisation admin -------------------------------------------------------


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    organisation = request.user.organisation
    assert organisation is not None
    return organisation


@require_permission(Permission.MANAGE_ORGANISATION)
@require_GET
def admin_home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    return render(
        request,
        "organisations/admin_home.html",
        {
            "organisation": organisation,
            "counts": selectors.staff_and_residents_counts(organisation_id=organisation.pk),
            "team_count": organisation.teams.count(),
            "location_count": organisation.locations.count(),
        },
    )


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def organisation_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    # Two forms on one page; the appointment form says which it is.
    is_appointment_post = request.method == "POST" and request.POST.get("formulier") == "afspraken"
    is_branding_post = request.method == "POST" and not is_appointment_post
    initial = {"name": organisation.name, "brand_colour": organisation.brand_colour, "phone": organisation.phone}
    form = OrganisationForm(
        request.POST if is_branding_post else None, request.FILES if is_branding_post else None, initial=initial
    )
    appointment_form = AppointmentSettingsForm(
        request.POST if is_appointment_post else None,
        initial={
            "appointment_change_deadline_hours": organisation.appointment_change_deadline_hours,
            "appointment_reminder_hours": organisation.appointment_reminder_hours,
            "jitsi_base_url": organisation.jitsi_base_url,
        },
    )
    context = {"form": form, "appointment_form": appointment_form, "organisation": organisation}
    if is_appointment_post and appointment_form.is_valid():
        organisation_appointment_settings_update(
            organisation=organisation,
            change_deadline_hours=appointment_form.cleaned_data["appointment_change_deadline_hours"],
            reminder_hours=appointment_form.cleaned_data["appointment_reminder_hours"],
            jitsi_base_url=appointment_form.cleaned_data["jitsi_base_url"],
        )
        messages.success(request, _("De instellingen voor afspraken zijn opgeslagen."))
        return redirect("organisations:settings")
    if is_branding_post and form.is_valid():
        upload = form.cleaned_data.get("logo")
        if upload is not None and upload.size > LOGO_MAX_BYTES:
            # Refuse before reading a large file into memory.
            form.add_error("logo", _("Het logo is te groot. Kies een bestand kleiner dan 1 MB."))
            return render(request, "organisations/settings.html", context)
        try:
            organisation_update(
                organisation=organisation,
                name=form.cleaned_data["name"],
                brand_colour=form.cleaned_data["brand_colour"],
                phone=form.cleaned_data["phone"],
                logo=upload.read() if upload else None,
            )
        except OrganisationError as error:
            form.add_error("logo", str(error))
        else:
            messages.success(request, _("De gegevens van de organisatie zijn opgeslagen."))
            return redirect("organisations:settings")
    return render(request, "organisations/settings.html", context)


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def team_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team_create(organisation=organisation, name=form.cleaned_data["name"])
        except OrganisationError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Het team is toegevoegd."))
            return redirect("organisations:teams")
    teams = selectors.team_list(organisation_id=organisation.pk)
    return render(request, "organisations/teams.html", {"form": form, "teams": teams})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def team_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    organisation = _organisation(request)
    team = Team.objects.filter(organisation=organisation, public_id=parse_public_id(public_id)).first()
    if team is None:
        raise Http404
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            team_rename(team=team, name=form.cleaned_data["name"])
        except OrganisationError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("De naam van het team is gewijzigd."))
            return redirect("organisations:teams")
    members = team.members.filter(role__in=STAFF_ROLES).order_by("sort_name", "first_name")
    return render(request, "organisations/team_detail.html", {"form": form, "team": team, "members": members})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_GET
def location_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    locations = Location.objects.filter(organisation=_organisation(request))
    return render(request, "organisations/locations.html", {"locations": locations})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def location_edit_view(request: AuthenticatedHttpRequest, public_id: str | None = None) -> HttpResponse:
    organisation = _organisation(request)
    location = None
    initial: dict[str, object] = {"is_active": True}
    if public_id is not None:
        location = Location.objects.filter(organisation=organisation, public_id=parse_public_id(public_id)).first()
        if location is None:
            raise Http404
        initial = {f: getattr(location, f) for f in ("name", "street", "postcode", "city", "phone", "is_active")}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            location_save(organisation=organisation, location=location, data=form.cleaned_data)
        except OrganisationError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("De locatie is opgeslagen."))
            return redirect("organisations:locations")
    return render(request, "organisations/location_edit.html", {"form": form, "location": location})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_GET
def user_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.GET.get("soort", "staff")
    accounts = users_for_admin(request.user).select_related("team")
    if kind == "residents":
        accounts = accounts.filter(role__in=[Role.RESIDENT, Role.TRUSTED_PERSON])
    else:
        kind = "staff"
        accounts = accounts.filter(role__in=STAFF_ROLES)
    page = Paginator(accounts.order_by("sort_name", "first_name", "pk"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    if kind == "residents":
        residents_log_listed(
            user=request.user,
            residents=[a for a in page.object_list if a.role == Role.RESIDENT],
            object_type="account",
        )
    return render(request, "organisations/users.html", {"page": page, "kind": kind})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def user_invite_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = StaffInviteForm(request.POST or None, teams=Team.objects.filter(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_invite(
                invited_by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team_id=data["team"].pk if data["team"] else None,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De uitnodiging is verstuurd per e-mail."))
            return redirect("organisations:users")
    return render(request, "organisations/user_invite.html", {"form": form})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def user_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    organisation = _organisation(request)
    action = "change" if request.method == "POST" else "view"
    account = user_get_for_admin(user=request.user, public_id=public_id, action=action)
    teams = Team.objects.filter(organisation=organisation)
    form = AccountForm(
        request.POST or None,
        teams=teams,
        is_staff_account=account.role in STAFF_ROLES,
        initial={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "role": account.role,
            "team": account.team.public_id if account.team else None,
            "is_active": account.is_active,
            "birth_year": account.birth_year,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update_by_admin(
                admin=request.user,
                account=account,
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                team=data["team"],
                is_active=data["is_active"],
                birth_year=data.get("birth_year"),
            )
        except OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het account is opgeslagen."))
            return redirect("organisations:user_detail", public_id=account.public_id)
    assign_form = None
    workers = None
    if account.role == Role.RESIDENT:
        workers = User.objects.filter(caseload_assignments__resident=account)
        assign_form = AssignWorkerForm(workers=selectors.casework_staff(organisation_id=organisation.pk))
    return render(
        request,
        "organisations/user_detail.html",
        {"account": account, "form": form, "workers": workers, "assign_form": assign_form},
    )


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def user_assign_worker_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    organisation = _organisation(request)
    resident = user_get_for_admin(user=request.user, public_id=public_id, action="change")
    form = AssignWorkerForm(request.POST, workers=selectors.casework_staff(organisation_id=organisation.pk))
    if form.is_valid():
        try:
            caseload_assign(resident=resident, worker=form.cleaned_data["worker"], assigned_by=request.user)
        except OrganisationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De sociaal werker is gekoppeld."))
    else:
        messages.error(request, _("Kies een sociaal werker uit de lijst."))
    return redirect("organisations:user_detail", public_id=resident.public_id)


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def user_unassign_worker_view(request: AuthenticatedHttpRequest, public_id: str, worker_id: str) -> HttpResponse:
    organisation = _organisation(request)
    resident = user_get_for_admin(user=request.user, public_id=public_id, action="change")
    worker = (
        selectors.casework_staff(organisation_id=organisation.pk).filter(public_id=parse_public_id(worker_id)).first()
    )
    if worker is None:
        raise Http404
    try:
        caseload_unassign(resident=resident, worker=worker, unassigned_by=request.user)
    except OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De sociaal werker is ontkoppeld."))
    return redirect("organisations:user_detail", public_id=resident.public_id)


# --- Platform admin -------------------------------------------------------------


@require_permission(Permission.MANAGE_PLATFORM)
@require_GET
def platform_home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = Organisation.objects.annotate(user_count=Count("users")).order_by("name")
    return render(request, "organisations/platform_home.html", {"organisations": organisations})


@require_permission(Permission.MANAGE_PLATFORM)
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_create(created_by=request.user, **form.cleaned_data)
        except OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De organisatie is toegevoegd. De eerste beheerder krijgt een e-mail."))
            return redirect("organisations:platform_home")
    return render(request, "organisations/organisation_create.html", {"form": form})


# --- Branding (public) --------------------------------------------------------


@require_GET
def logo_view(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = (
        Organisation.objects.filter(public_id=parse_public_id(public_id)).only("logo_png", "logo_updated_at").first()
    )
    if organisation is None or not organisation.logo_png:
        raise Http404
    response = HttpResponse(bytes(organisation.logo_png), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    if organisation.logo_updated_at:
        response["Last-Modified"] = http_date(organisation.logo_updated_at.timestamp())
    return response
