"""The video room of an online group session: one link from the session's
page (and the reminder) that leads, after sign-in, to the camera check and
the room. The page only orchestrates: the session comes through
``appointments.access``, the rules from ``appointments.group_calls``, the
call runs in ``static/js/groupcall.js`` with
``appointments.consumers.GroupCallConsumer`` as its signalling socket."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from appointments import session_selectors
from appointments.access import group_session_get_for_user
from appointments.calls import ice_servers_until
from appointments.group_calls import (
    MAX_PARTICIPANTS,
    group_call_is_builtin,
    group_call_is_open,
    group_call_member,
    group_call_window,
)
from samenspraak.http import AuthenticatedHttpRequest


def _clock(moment: Any) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _texts() -> dict[str, str]:
    """Everything groupcall.js says, in the page's language (the camera
    check's texts are the same as in the 1:1 call)."""
    return {
        "alone": _("U bent nog alleen. Wachten op de anderen…"),
        "in_room": _("In de bijeenkomst: %(count)s mensen"),
        "joined": _("%(name)s doet mee."),
        "left": _("%(name)s is weggegaan."),
        "raised": _("%(name)s steekt een hand op."),
        "hand": _("Hand opgestoken"),
        "raise_hand": _("Hand opsteken"),
        "lower_hand": _("Hand laten zakken"),
        "microphone_off_of": _("Microfoon uit"),
        "camera_off_of": _("Camera uit"),
        "you": _("U"),
        "video_of": _("Beeld van %(name)s"),
        "own_video": _("Uw eigen beeld"),
        "connecting": _("Verbinden…"),
        "reconnecting": _("Verbinding verbroken, we proberen het opnieuw"),
        "microphone_off": _("Microfoon uit"),
        "microphone_on": _("Microfoon aan"),
        "camera_off": _("Camera uit"),
        "camera_on": _("Camera aan"),
        "hung_up": _("U hebt de bijeenkomst verlaten."),
        "replaced": _("U doet in een ander venster mee aan deze bijeenkomst. Dit venster is gestopt."),
        "access_ended": _(
            "De bijeenkomst is voor u gestopt: de bijeenkomst is veranderd of afgezegd, u bent afgemeld, "
            "of u bent uitgelogd."
        ),
        "ended": _("De tijd voor deze online bijeenkomst is voorbij."),
        "full": _("De online bijeenkomst is vol: er kunnen %(count)s mensen tegelijk in.")
        % {"count": MAX_PARTICIPANTS},
        "full_jitsi": _("U kunt meedoen via de videoserver van uw organisatie:"),
        "chat_from": _("%(name)s:"),
        "chat_own": _("U:"),
        "denied": _(
            "U hebt geen toestemming gegeven voor de camera en microfoon. Klik op het slotje of camera-icoon "
            "naast het webadres, kies Toestaan en laad de pagina opnieuw. U kunt ook alleen luisteren."
        ),
        "no_camera": _("We vinden geen camera. U kunt ook alleen met geluid meedoen."),
        "camera_busy": _(
            "Uw camera wordt al door een ander programma gebruikt. Sluit dat programma, of doe alleen met geluid mee."
        ),
        "no_devices": _("We vinden geen microfoon en geen camera. U kunt wel alleen luisteren."),
        "unsupported": _(
            "Met deze browser kunt u niet beeldbellen. Gebruik een nieuwe versie van Chrome, Edge, Firefox of Safari."
        ),
        "camera": _("Camera"),
        "microphone": _("Microfoon"),
    }


@login_required
@require_GET
def group_call_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    session = group_session_get_for_user(user=user, public_id=public_id)
    # Seeing a session is not joining its room: only the host and residents
    # with a sign-up (the resident's own sign-up read is logged).
    if user.role == Role.RESIDENT:
        if session_selectors.signup_of_resident(resident=user, session=session) is None:
            raise Http404
    elif not group_call_member(user, session):
        raise Http404
    if not group_call_is_builtin(session):
        # A face-to-face session, or a larger one on the organisation's Jitsi.
        return redirect("appointments:session_detail", public_id=session.public_id)
    window = group_call_window(session)
    context: dict[str, Any] = {
        "session": session,
        "starts_at_clock": _clock(session.starts_at),
        "ends_at_clock": _clock(session.ends_at),
        "opens_at_clock": _clock(window.opens_at),
        "closes_at_clock": _clock(window.closes_at),
        "is_today": timezone.localdate(session.starts_at) == timezone.localdate(),
        "phone": session.organisation.phone,
        "max_participants": MAX_PARTICIPANTS,
    }
    now = timezone.now()
    if session.cancelled_at is not None:
        context["reason"] = "cancelled"
    elif now < window.opens_at:
        context["reason"] = "too_early"
    elif not group_call_is_open(session, now):
        context["reason"] = "ended"
    if "reason" in context:
        return render(request, "appointments/group_call_closed.html", context)
    context["config"] = {
        "socket_path": f"/ws/groepsbellen/{session.public_id}/",
        "ice_servers": ice_servers_until(user=user, expires_at=window.closes_at),
    }
    context["texts"] = _texts()
    return render(request, "appointments/group_call.html", context)
