"""Calendar pages: one appointment as a calendar file, the private feed
address (make, renew, stop) and the feed itself. Thin: files are written by
``appointments.ics``, feeds kept by ``appointments.feeds``, access decided
in ``appointments.access``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from appointments import feeds, ics
from appointments.access import appointment_get_for_user
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, has_permission, role_gate_refuse

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(body: str, *, filename: str, method: ics.Method) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=f"text/calendar; method={method}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _require_calendar_user(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; then only roles with a resident area (residents,
    trusted persons) or casework; others get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (has_permission(user, Permission.USE_RESIDENT_AREA) or has_permission(user, Permission.USE_CASEWORK)):
            role_gate_refuse(request, "calendar")
        return view(request, *args, **kwargs)

    return wrapped


@_require_calendar_user
@require_GET
def appointment_ics_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """One appointment as a file to open in a calendar app: for the
    resident, a trusted person with the appointments scope, and the workers
    who may see the resident (logged by the policy)."""
    appointment = appointment_get_for_user(user=request.user, public_id=public_id)
    body = ics.appointment_calendar(appointment, audience=ics.audience_of(request.user))
    return _calendar_response(body, filename="afspraak.ics", method=ics.method_for(appointment))


@_require_calendar_user
@require_http_methods(["GET", "POST"])
def feed_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link the appointments to a calendar app: make an address (shown
    once), make a new one, or stop. Residents and casework staff only."""
    user = request.user
    if not feeds.feed_allowed_for(user):
        role_gate_refuse(request, "calendar_feed")
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("actie", "")
        if action == "nieuw":
            token = feeds.calendar_feed_create(user=user).token
            new_url = settings.SITE_URL + reverse("appointments:feed", kwargs={"token": token})
        elif action == "stoppen":
            if feeds.calendar_feed_revoke(user=user):
                messages.success(request, _("De koppeling is gestopt. Uw agenda-app haalt geen afspraken meer op."))
            return redirect("appointments:feed_settings")
        else:
            return redirect("appointments:feed_settings")
    response = render(
        request,
        "appointments/feed_settings.html",
        {
            "feed": feeds.calendar_feed_active(user=user),
            "new_url": new_url,
            "webcal_url": new_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        },
    )
    # The page may show the secret address: keep it out of every cache.
    add_never_cache_headers(response)
    return response


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app fetches, without signing in: the token is the
    key. Wrong, revoked or malformed tokens answer 404."""
    feed = feeds.calendar_feed_get_by_token(token)
    if feed is None:
        raise Http404
    appointments = feeds.calendar_feed_read(feed=feed)
    audience = ics.audience_of(feed.user)
    body = ics.feed_calendar([(appointment, audience) for appointment in appointments])
    response = HttpResponse(body.encode("utf-8"), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="samenspraak.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
