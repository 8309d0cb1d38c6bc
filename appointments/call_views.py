"""The video call page: one link from the reminder and the home page that
leads, after sign-in, straight to the camera check and the call.

The page only orchestrates: the appointment comes through the policy (which
logs the read), the rules come from ``appointments.calls``, the call itself
runs in ``static/js/call.js`` with ``appointments.consumers.CallConsumer``
as its signalling socket.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from appointments.access import appointment_get_for_user
from appointments.calls import call_is_open, call_party, call_window, ice_servers_for, jitsi_room_url
from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from samenspraak.http import AuthenticatedHttpRequest


def _other_person(user: User, appointment: Appointment) -> User:
    return appointment.worker if user.pk == appointment.resident_id else appointment.resident


def _clock(moment: Any) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _texts(peer_name: str) -> dict[str, str]:
    """Everything call.js says, in the page's language."""
    name = {"name": peer_name}
    return {
        "waiting": _("Wachten op %(name)s…") % name,
        "connecting": _("Verbinden…"),
        "connected": _("Verbonden"),
        "reconnecting": _("Verbinding verbroken, we proberen het opnieuw"),
        "peer_hung_up": _("%(name)s heeft opgehangen.") % name,
        "peer_microphone_off": _("%(name)s heeft de microfoon uitgezet.") % name,
        "peer_camera_off": _("%(name)s heeft de camera uitgezet.") % name,
        "microphone_off": _("Microfoon uit"),
        "microphone_on": _("Microfoon aan"),
        "camera_off": _("Camera uit"),
        "camera_on": _("Camera aan"),
        "hung_up": _("U hebt opgehangen."),
        "replaced": _("U doet in een ander venster mee aan dit gesprek. Dit venster is gestopt."),
        "access_ended": _(
            "Dit gesprek is gestopt: de afspraak is veranderd of afgezegd, of u bent uitgelogd. "
            "Kijk bij Afspraken wat er nu is afgesproken."
        ),
        "ended": _("De tijd voor dit gesprek is voorbij."),
        "denied": _(
            "U hebt geen toestemming gegeven voor de camera en microfoon. Klik op het slotje of camera-icoon "
            "naast het webadres, kies Toestaan en laad de pagina opnieuw."
        ),
        "no_camera": _("We vinden geen camera. U kunt ook alleen met geluid meedoen."),
        "camera_busy": _(
            "Uw camera wordt al door een ander programma gebruikt. Sluit dat programma, of doe alleen met geluid mee."
        ),
        "no_devices": _("We vinden geen microfoon en geen camera. Zonder microfoon kunt u niet beeldbellen."),
        "unsupported": _(
            "Met deze browser kunt u niet beeldbellen. Gebruik een nieuwe versie van Chrome, Edge, Firefox of Safari."
        ),
        "camera": _("Camera"),
        "microphone": _("Microfoon"),
    }


@login_required
@require_GET
def call_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    appointment = appointment_get_for_user(user=user, public_id=public_id)
    # Reading an appointment is not joining its call: a team lead or a
    # trusted person who may see it gets the same answer as a stranger.
    if not call_party(user, appointment):
        raise Http404
    if appointment.kind != AppointmentKind.VIDEO:
        return redirect(reverse("appointments:detail", kwargs={"public_id": appointment.public_id}))
    peer = _other_person(user, appointment)
    window = call_window(appointment)
    context: dict[str, Any] = {
        "appointment": appointment,
        "peer": peer,
        "window": window,
        "starts_at_clock": _clock(appointment.starts_at),
        "ends_at_clock": _clock(appointment.ends_at),
        "opens_at_clock": _clock(window.opens_at),
        "closes_at_clock": _clock(window.closes_at),
        "is_today": timezone.localdate(appointment.starts_at) == timezone.localdate(),
        "phone": appointment.organisation.phone,
    }
    now = timezone.now()
    if appointment.status != AppointmentStatus.CONFIRMED:
        context["reason"] = "cancelled" if appointment.status == AppointmentStatus.CANCELLED else "not_confirmed"
        if appointment.status == AppointmentStatus.NO_SHOW:
            context["reason"] = "ended"
        return render(request, "appointments/call_closed.html", context)
    if now < window.opens_at:
        context["reason"] = "too_early"
        return render(request, "appointments/call_closed.html", context)
    if not call_is_open(appointment, now):
        context["reason"] = "ended"
        return render(request, "appointments/call_closed.html", context)
    jitsi_url = jitsi_room_url(appointment)
    if jitsi_url:
        return render(request, "appointments/call_jitsi.html", context | {"jitsi_url": jitsi_url})
    peer_name = peer.first_name or peer.full_name
    context["config"] = {
        "socket_path": f"/ws/beeldbellen/{appointment.public_id}/",
        # Perfect negotiation needs one polite side: the resident gives way.
        "polite": user.pk == appointment.resident_id,
        "ice_servers": ice_servers_for(user=user, appointment=appointment),
    }
    context["texts"] = _texts(peer_name)
    context["peer_name"] = peer_name
    return render(request, "appointments/call.html", context)
