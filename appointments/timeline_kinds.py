"""How appointment and group-session events read on the resident's
timeline, per reader and in their language (registered in
``AppointmentsConfig.ready``; see ``casefiles/timeline.py``).

Params: ``kind`` (an AppointmentKind value) and ``starts_at`` (ISO 8601)
for an appointment; ``title`` and ``starts_at`` for a group session;
``worker_user_id`` for the worker an appointment went to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments.models import AppointmentKind
from appointments.selectors import spoken_moment
from casefiles.timeline import (
    by_actor,
    person_name,
    timeline_kind_register,
    viewer_is_actor,
    viewer_is_resident,
)

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def appointment_params(appointment: Any) -> dict[str, Any]:
    """What an appointment event stores: its kind and start, no topic."""
    return {"kind": appointment.kind, "starts_at": appointment.starts_at.isoformat()}


def session_params(session: Any) -> dict[str, Any]:
    return {"title": session.title, "starts_at": session.starts_at.isoformat()}


def _appointment_what(event: TimelineEvent) -> dict[str, Any]:
    params = event.params
    return {
        "what": _("%(kind)s op %(moment)s")
        % {
            "kind": AppointmentKind(params["kind"]).label,
            "moment": spoken_moment(datetime.fromisoformat(params["starts_at"])),
        }
    }


def _session_what(event: TimelineEvent) -> dict[str, Any]:
    params = event.params
    return {
        "what": _("%(title)s op %(moment)s")
        % {"title": params["title"], "moment": spoken_moment(datetime.fromisoformat(params["starts_at"]))}
    }


def _with(values: Any, render: Any) -> Any:
    """A fixed sentence that needs computed values (``%(what)s``)."""

    def wrapped(event: TimelineEvent, viewer: User | None) -> str:
        return str(render) % values(event)

    return wrapped


def _appointment_link(event: TimelineEvent, viewer: User | None) -> str:
    return reverse("appointments:detail", args=[event.object_public_id]) if event.object_public_id else ""


def _session_link(event: TimelineEvent, viewer: User | None) -> str:
    return reverse("appointments:session_detail", args=[event.object_public_id]) if event.object_public_id else ""


def _request_link(event: TimelineEvent, viewer: User | None) -> str:
    return reverse("appointments:mine") if viewer_is_resident(event, viewer) else ""


def _handed_over(event: TimelineEvent, viewer: User | None) -> str:
    worker = person_name(event, "worker_user_id")
    if not worker:
        raise KeyError("worker_user_id")
    values = {**_appointment_what(event), "worker": worker}
    if viewer_is_resident(event, viewer) and not viewer_is_actor(event, viewer):
        return _("Uw afspraak gaat nu met %(worker)s: %(what)s") % values
    return by_actor(
        gettext_lazy("U hebt de afspraak overgedragen aan %(worker)s: %(what)s"),
        gettext_lazy("%(name)s heeft de afspraak overgedragen aan %(worker)s: %(what)s"),
        gettext_lazy("De afspraak gaat nu met %(worker)s: %(what)s"),
        values=lambda event: values,
    )(event, viewer)


def _attendance(event: TimelineEvent, viewer: User | None) -> str:
    text = _("Aanwezig bij groepsbijeenkomst: %(what)s") if event.params["attended"] else _("Niet gekomen: %(what)s")
    return text % _session_what(event)


def register() -> None:
    _ = gettext_lazy
    appointment = ("kind", "starts_at")
    session = ("title", "starts_at")
    kinds: list[tuple[str, Any, Any, tuple[str, ...], bool]] = [
        (
            "appointments.booked",
            by_actor(
                _("U hebt een afspraak aangevraagd: %(what)s"),
                _("%(name)s heeft een afspraak aangevraagd: %(what)s"),
                _("Afspraak aangevraagd: %(what)s"),
                values=_appointment_what,
            ),
            _appointment_link,
            appointment,
            True,
        ),
        (
            "appointments.proposed",
            by_actor(
                _("U hebt een afspraak voorgesteld: %(what)s"),
                _("%(name)s heeft een afspraak voorgesteld: %(what)s"),
                _("Afspraak voorgesteld: %(what)s"),
                to_you=_("%(name)s stelt een afspraak met u voor: %(what)s"),
                values=_appointment_what,
            ),
            _appointment_link,
            appointment,
            True,
        ),
        (
            "appointments.confirmed",
            by_actor(
                _("U hebt de afspraak bevestigd: %(what)s"),
                _("%(name)s heeft de afspraak bevestigd: %(what)s"),
                _("Afspraak bevestigd: %(what)s"),
                to_you=_("%(name)s heeft uw afspraak bevestigd: %(what)s"),
                values=_appointment_what,
            ),
            _appointment_link,
            appointment,
            True,
        ),
        (
            "appointments.moved",
            by_actor(
                _("U hebt de afspraak verzet naar %(what)s"),
                _("%(name)s heeft de afspraak verzet naar %(what)s"),
                _("Afspraak verzet naar %(what)s"),
                to_you=_("%(name)s heeft uw afspraak verzet naar %(what)s"),
                values=_appointment_what,
            ),
            _appointment_link,
            appointment,
            True,
        ),
        (
            "appointments.cancelled",
            by_actor(
                _("U hebt de afspraak afgezegd: %(what)s"),
                _("%(name)s heeft de afspraak afgezegd: %(what)s"),
                _("Afspraak afgezegd: %(what)s"),
                to_you=_("%(name)s heeft uw afspraak afgezegd: %(what)s"),
                values=_appointment_what,
            ),
            _appointment_link,
            appointment,
            True,
        ),
        ("appointments.handed_over", _handed_over, _appointment_link, (*appointment, "worker_user_id"), True),
        (
            "appointments.no_show",
            _with(_appointment_what, _("Niet verschenen: %(what)s")),
            _appointment_link,
            appointment,
            False,
        ),
        (
            "appointments.requested",
            by_actor(
                _("U hebt gevraagd om een afspraak"),
                _("%(name)s heeft gevraagd om een afspraak"),
                _("Verzoek om een afspraak gestuurd"),
            ),
            _request_link,
            (),
            False,
        ),
        (
            "appointments.session_changed",
            _with(_session_what, _("Groepsbijeenkomst gewijzigd: %(what)s")),
            _session_link,
            session,
            True,
        ),
        (
            "appointments.session_cancelled",
            _with(_session_what, _("Groepsbijeenkomst afgezegd door de organisatie: %(what)s")),
            _session_link,
            session,
            True,
        ),
        (
            "appointments.session_signed_up",
            by_actor(
                _("U hebt zich aangemeld voor de groepsbijeenkomst: %(what)s"),
                _("%(name)s heeft zich aangemeld voor de groepsbijeenkomst: %(what)s"),
                _("Aangemeld voor groepsbijeenkomst: %(what)s"),
                values=_session_what,
            ),
            _session_link,
            session,
            False,
        ),
        (
            "appointments.session_signed_off",
            by_actor(
                _("U hebt zich afgemeld voor de groepsbijeenkomst: %(what)s"),
                _("%(name)s heeft zich afgemeld voor de groepsbijeenkomst: %(what)s"),
                _("Afgemeld voor groepsbijeenkomst: %(what)s"),
                values=_session_what,
            ),
            _session_link,
            session,
            False,
        ),
        ("appointments.session_attendance", _attendance, _session_link, (*session, "attended"), False),
    ]
    for kind, render, link, required, news in kinds:
        timeline_kind_register(kind, render, link=link, required=required, news=news)
