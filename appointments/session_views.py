"""Group session pages: residents see what is planned and sign up or off;
casework staff plan, cancel and record who came. Thin: sessions are reached
through ``appointments.access``, changes go through ``appointments.sessions``
and reads of sign-ups through ``appointments.session_selectors`` (which log)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from appointments import session_selectors as selectors
from appointments import sessions
from appointments.access import group_session_get_for_user
from appointments.group_calls import group_call_is_builtin
from appointments.models import GroupSession, GroupSessionSignup
from appointments.session_forms import GroupSessionCancelForm, GroupSessionChangeForm, GroupSessionForm
from organisations.models import Location
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    has_permission,
    organisation_id_of,
    require_permission,
    role_gate_refuse,
)


def _uses_group_sessions(user: User) -> bool:
    if has_permission(user, Permission.USE_CASEWORK):
        return True
    return has_permission(user, Permission.USE_RESIDENT_AREA) and user.role == Role.RESIDENT


def require_group_sessions(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Residents and casework staff; other signed-in roles (trusted persons
    too: sessions are the resident's own choice) get 403, like
    ``require_permission``; anonymous visitors are sent to sign in."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _uses_group_sessions(request.user):
            role_gate_refuse(request, "group_sessions")
        return view(request, *args, **kwargs)

    return wrapped


def _to_detail(session: GroupSession) -> HttpResponse:
    return redirect("appointments:session_detail", public_id=session.public_id)


def _managed_session(request: AuthenticatedHttpRequest, public_id: str) -> GroupSession:
    """A session the user may change; to other staff of the organisation it
    is not theirs (404)."""
    session = group_session_get_for_user(user=request.user, public_id=public_id)
    if not sessions.may_manage(request.user, session):
        raise Http404
    return session


@require_group_sessions
@require_GET
def sessions_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_resident = user.role == Role.RESIDENT
    return render(
        request,
        "appointments/sessions.html",
        {
            "sessions": selectors.group_session_list(user=user),
            "own_signups": selectors.signups_of_resident(resident=user) if is_resident else [],
            "is_resident": is_resident,
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def session_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    assert organisation is not None
    form = GroupSessionForm(
        request.POST or None,
        locations=Location.objects.filter(organisation_id=organisation_id_of(request.user), is_active=True),
        has_video_server=bool(organisation.jitsi_base_url),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = sessions.group_session_plan(
                host=request.user,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                location=data["location"],
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                capacity=data["capacity"],
            )
        except sessions.GroupSessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De groepsbijeenkomst is gepland. Inwoners van uw organisatie zien hem nu."))
            return _to_detail(session)
    return render(request, "appointments/session_form.html", {"form": form})


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def session_change_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    session = _managed_session(request, public_id)
    local = timezone.localtime(session.starts_at)
    form = GroupSessionChangeForm(
        request.POST or None,
        locations=Location.objects.filter(organisation_id=organisation_id_of(request.user), is_active=True),
        has_video_server=True,
        initial={
            "location": session.location.public_id if session.location else None,
            "day": local.date(),
            "start_time": local.time().replace(second=0),
            "minutes": int((session.ends_at - session.starts_at).total_seconds() // 60),
            "capacity": session.capacity,
        },
    )
    if session.kind != GroupSession.Kind.FACE_TO_FACE:
        del form.fields["location"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions.group_session_change(
                session=session,
                by=request.user,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                location=data.get("location"),
                capacity=data["capacity"],
            )
        except sessions.GroupSessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De groepsbijeenkomst is gewijzigd. Wie zich heeft aangemeld, krijgt bericht."))
            return _to_detail(session)
    return render(request, "appointments/session_change.html", {"form": form, "session": session})


@require_group_sessions
@require_GET
def session_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    session = group_session_get_for_user(user=user, public_id=public_id)
    organisation = user.organisation
    assert organisation is not None
    now = timezone.now()
    is_resident = user.role == Role.RESIDENT
    taken = selectors.places_taken(session)
    own_signup = selectors.signup_of_resident(resident=user, session=session) if is_resident else None
    may_manage = not is_resident and sessions.may_manage(user, session)
    is_open = session.cancelled_at is None and session.starts_at > now
    shows_room = sessions.room_is_open(session, now) and (own_signup is not None or not is_resident)
    return render(
        request,
        "appointments/session_detail.html",
        {
            "session": session,
            "is_resident": is_resident,
            "taken": taken,
            "places_left": max(session.capacity - taken, 0),
            "own_signup": own_signup,
            "may_sign_up": is_resident and own_signup is None and is_open and taken < session.capacity,
            "may_sign_off": own_signup is not None and is_open,
            "may_manage": may_manage,
            "may_cancel": may_manage and session.cancelled_at is None and session.ends_at > now,
            "may_record_attendance": user.pk == session.host_id
            and session.cancelled_at is None
            and session.starts_at <= now,
            "signups": selectors.signups_for_host(user=user, session=session) if may_manage else [],
            "room_url": _room_url(user, session, own_signup) if shows_room else "",
            "room_opens_at": session.starts_at - sessions.ROOM_OPENS_BEFORE,
        },
    )


def _room_url(user: User, session: GroupSession, own_signup: GroupSessionSignup | None) -> str:
    """The built-in video room for a small online session (for the host and
    residents who signed up), else the organisation's Jitsi room."""
    if not group_call_is_builtin(session):
        assert user.organisation is not None
        return sessions.room_url(session, user.organisation)
    if user.pk == session.host_id or own_signup is not None:
        return reverse("appointments:group_call", kwargs={"public_id": session.public_id})
    return ""


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def session_signup_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    session = group_session_get_for_user(user=request.user, public_id=public_id)
    try:
        sessions.session_sign_up(session=session, resident=request.user)
    except sessions.GroupSessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("U bent aangemeld. Tot dan!"))
    return _to_detail(session)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def session_signoff_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    session = group_session_get_for_user(user=request.user, public_id=public_id)
    signup = GroupSessionSignup.objects.filter(
        session=session, resident=request.user, cancelled_at__isnull=True
    ).first()
    if signup is None:
        messages.error(request, _("U bent niet aangemeld voor deze groepsbijeenkomst."))
        return _to_detail(session)
    try:
        sessions.session_sign_off(signup=signup, by=request.user)
    except sessions.GroupSessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("U bent afgemeld. Uw plaats is vrij voor iemand anders."))
    return _to_detail(session)


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    session = _managed_session(request, public_id)
    form = GroupSessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.group_session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except sessions.GroupSessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("De groepsbijeenkomst is afgezegd. Wie zich had aangemeld, krijgt hierover bericht.")
            )
            return _to_detail(session)
    return render(
        request,
        "appointments/session_cancel.html",
        {"session": session, "form": form, "taken": selectors.places_taken(session)},
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def session_attendance_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    session = _managed_session(request, public_id)
    try:
        sessions.attendance_record(session=session, by=request.user, attended_ids=request.POST.getlist("aanwezig"))
    except sessions.GroupSessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Opgeslagen wie er was."))
    return _to_detail(session)
