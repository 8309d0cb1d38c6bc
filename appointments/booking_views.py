"""Appointment pages: the resident books, asks, confirms, moves and
cancels; the worker proposes, confirms, moves, cancels, records no-shows
and keeps an agenda. Thin: rules live in ``appointments.booking``, access
in ``appointments.access``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASEWORK_ROLES, Role, User
from appointments import agenda_grid, booking, selectors
from appointments.access import appointment_get_for_user
from appointments.forms import BookTopicForm, CancelForm, MoveForm, ProposeForm, RequestForm
from appointments.models import Appointment, AppointmentKind, AppointmentRequest, AppointmentStatus
from organisations.models import Location
from samenspraak.dates import day_from_query, is_workable_day
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Action,
    Permission,
    login_required_404,
    organisation_id_of,
    parse_public_id,
    require_permission,
    resident_get_for_user,
)

KIND_LABELS = dict(AppointmentKind.choices)
# The slot picker shows a few days at a time: a long list of times is hard
# to take in, on a phone and for people who rarely book online.
DAYS_PER_PAGE = 5
# How far ahead "more days" may page.
LATEST_START_DAYS = 120


def _days_page(request: AuthenticatedHttpRequest, **kwargs: Any) -> tuple[list[selectors.DayOfSlots], date | None]:
    """Up to ``DAYS_PER_PAGE`` days with free slots from ``?vanaf=`` on, and
    the day to continue from (None when the horizon holds no more)."""
    today = timezone.localdate()
    try:
        first_day = date.fromisoformat(request.GET.get("vanaf", "")) if request.GET.get("vanaf") else today
    except ValueError:
        first_day = today
    first_day = min(max(first_day, today), today + timedelta(days=LATEST_START_DAYS))
    days = selectors.free_slots_ahead(first_day=first_day, **kwargs)
    shown = days[:DAYS_PER_PAGE]
    more = shown[-1].day + timedelta(days=1) if len(days) > DAYS_PER_PAGE else None
    return shown, more


def _kind_choices(kinds: list[str]) -> list[tuple[str, str]]:
    return [(k, str(KIND_LABELS[k]).capitalize()) for k in kinds]


def _locations(user: User) -> Any:
    return Location.objects.filter(organisation_id=organisation_id_of(user), is_active=True)


def _own_resident(request: AuthenticatedHttpRequest, *, action: str = Action.VIEW) -> User:
    return resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type="appointment"
    )


# --- Resident --------------------------------------------------------------------------


@require_permission(Permission.BOOK_APPOINTMENTS)
@require_GET
def my_appointments_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    upcoming, past = selectors.appointments_of_resident(resident=resident)
    requests = AppointmentRequest.objects.filter(
        resident=resident, status=AppointmentRequest.Status.OPEN
    ).select_related("worker")
    return render(
        request,
        "appointments/mine.html",
        {
            "upcoming": upcoming,
            "past": past,
            "requests": requests,
            "has_workers": bool(selectors.workers_of(resident=resident)),
        },
    )


@require_permission(Permission.BOOK_APPOINTMENTS)
@require_GET
def book_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: kind (and worker, when there are several); step 2: the free
    times of the coming four weeks as buttons that say the whole date."""
    resident = _own_resident(request)
    workers = selectors.workers_of(resident=resident)
    kinds = selectors.kinds_offered_to(resident=resident)
    kind = request.GET.get("soort", "")
    worker = _chosen_worker(workers, request.GET.get("medewerker", ""))
    days: list[selectors.DayOfSlots] = []
    more: date | None = None
    error = ""
    if kind:
        if kind not in kinds:
            error = _("Kies een soort afspraak uit de lijst.")
        elif worker is None:
            error = _("Kies met wie u een afspraak wilt maken.")
        else:
            days, more = _days_page(request, worker=worker, kind=kind)
    return render(
        request,
        "appointments/book.html",
        {
            "workers": workers,
            "kinds": _kind_choices(kinds),
            "kind": kind if kind in kinds else "",
            "kind_label": KIND_LABELS.get(kind, ""),
            "worker": worker,
            "days": days,
            "more": more,
            "is_later_page": bool(request.GET.get("vanaf")),
            "error": error,
            "horizon_days": selectors.BOOKING_HORIZON_DAYS,
        },
    )


def _wall_clock_parse(text: str) -> datetime:
    """``booking.wall_clock_parse`` for a chosen time, refusing days outside
    the workable years first: year 1 or 9999 overflows once it becomes a
    moment in UTC or a slot's end is added."""
    try:
        day = date.fromisoformat(text.strip().split("T", 1)[0])
    except ValueError:
        day = None  # wall_clock_parse explains what is wrong.
    if day is not None and not is_workable_day(day):
        raise booking.BookingError(_("Deze datum of tijd bestaat niet. Kies een tijd uit de lijst."))
    return booking.wall_clock_parse(text)


def _chosen_worker(workers: list[User], value: str) -> User | None:
    if len(workers) == 1 and not value:
        return workers[0]
    return next((w for w in workers if str(w.public_id) == value), None)


@require_permission(Permission.BOOK_APPOINTMENTS)
@require_http_methods(["GET", "POST"])
def book_confirm_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The chosen time in words, an optional topic, and one button."""
    data = request.POST if request.method == "POST" else request.GET
    resident = _own_resident(request, action=Action.CREATE if request.method == "POST" else Action.VIEW)
    workers = selectors.workers_of(resident=resident)
    worker = _chosen_worker(workers, data.get("medewerker", ""))
    kind = data.get("soort", "")
    starts = data.get("tijd", "")
    form = BookTopicForm(request.POST if request.method == "POST" else None)
    error = ""
    moment = None
    try:
        if worker is None:
            raise booking.BookingError(_("U kunt alleen een afspraak maken met uw eigen sociaal werker."))
        moment = _wall_clock_parse(starts)
    except booking.BookingError as exc:
        error = str(exc)
    if request.method == "POST" and not error and form.is_valid():
        assert worker is not None
        try:
            appointment = booking.appointment_book(
                resident=resident, worker=worker, kind=kind, starts=starts, topic=form.cleaned_data["topic"]
            )
        except booking.BookingError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("Uw aanvraag is verstuurd. %(name)s bevestigt de afspraak. U krijgt daarover bericht.")
                % {"name": worker.first_name},
            )
            return redirect("appointments:detail", public_id=appointment.public_id)
    return render(
        request,
        "appointments/book_confirm.html",
        {
            "worker": worker,
            "kind": kind,
            "kind_label": KIND_LABELS.get(kind, ""),
            "starts": starts,
            "moment": moment,
            "spoken": booking.spoken_moment(moment) if moment else "",
            "form": form,
            "error": error,
        },
        status=200,
    )


@require_permission(Permission.BOOK_APPOINTMENTS)
@require_http_methods(["GET", "POST"])
def request_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _own_resident(request, action=Action.CREATE if request.method == "POST" else Action.VIEW)
    workers = selectors.workers_of(resident=resident)
    form = RequestForm(
        request.POST or None,
        workers=[(str(w.public_id), w.get_full_name()) for w in workers],
        kinds=_kind_choices(selectors.kinds_offered_to(resident=resident)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        worker = _chosen_worker(workers, data["worker"])
        try:
            if worker is None:
                raise booking.BookingError(_("U kunt alleen een afspraak maken met uw eigen sociaal werker."))
            booking.appointment_request_send(
                resident=resident,
                worker=worker,
                kinds=data["kinds"],
                weekdays=data["weekdays"],
                parts_of_day=data["parts_of_day"],
                note=data["note"],
            )
        except booking.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uw verzoek is verstuurd. U krijgt een voorstel voor een tijd."))
            return redirect("appointments:mine")
    return render(request, "appointments/request.html", {"form": form, "has_workers": bool(workers)})


@require_permission(Permission.BOOK_APPOINTMENTS)
@require_POST
def request_withdraw_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _own_resident(request, action=Action.CHANGE)
    appointment_request = AppointmentRequest.objects.filter(
        public_id=parse_public_id(public_id), resident=resident
    ).first()
    if appointment_request is None:
        raise Http404
    try:
        booking.appointment_request_withdraw(request=appointment_request, by=request.user)
    except booking.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Uw verzoek is ingetrokken."))
    return redirect("appointments:mine")


# --- Both sides ----------------------------------------------------------------------------


def _actions(user: User, appointment: Appointment) -> dict[str, bool]:
    """Which buttons this person gets; the services check again."""
    now = timezone.now()
    is_resident = booking.acts_for_resident(user, appointment)
    is_worker_side = user.role in CASEWORK_ROLES
    future = appointment.starts_at > now
    holds = appointment.holds_time
    return {
        "confirm": future
        and (
            (is_resident and appointment.status == AppointmentStatus.AWAITING_RESIDENT)
            or (is_worker_side and appointment.status == AppointmentStatus.AWAITING_WORKER)
        ),
        "move": holds and future and (is_worker_side or (is_resident and booking.resident_may_change(appointment))),
        "cancel": holds
        and appointment.ends_at > now
        and (
            is_worker_side
            or (
                is_resident
                and (appointment.status != AppointmentStatus.CONFIRMED or booking.resident_may_change(appointment))
            )
        ),
        "no_show": is_worker_side and appointment.status == AppointmentStatus.CONFIRMED and not future,
        "call": appointment.kind == AppointmentKind.VIDEO
        and appointment.status == AppointmentStatus.CONFIRMED
        and user.pk in {appointment.resident_id, appointment.worker_id}
        and appointment.ends_at > now,
        "ics": holds or appointment.status == AppointmentStatus.CANCELLED,
    }


@login_required_404
@require_GET
def detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_get_for_user(user=request.user, public_id=public_id)
    is_resident_side = request.user.role not in CASEWORK_ROLES
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "spoken": booking.spoken_moment(appointment.starts_at),
            "ends": timezone.localtime(appointment.ends_at),
            "actions": _actions(request.user, appointment),
            "is_resident_side": is_resident_side,
            "deadline": booking.change_deadline(appointment),
            "deadline_hours": appointment.organisation.appointment_change_deadline_hours,
        },
    )


@login_required_404
@require_POST
def confirm_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    appointment = _for_change(request, public_id)
    try:
        booking.appointment_confirm(appointment=appointment, by=request.user)
    except booking.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De afspraak is bevestigd. U krijgt een e-mail met de afspraak voor uw agenda."))
    # Confirmed from the worker's day page: back to the day, not into the
    # appointment (a fixed name, never a URL from the form).
    if request.POST.get("terug") == "vandaag" and request.user.pk != appointment.resident_id:
        return redirect("pages:today")
    return redirect("appointments:detail", public_id=appointment.public_id)


def _for_change(request: AuthenticatedHttpRequest, public_id: str) -> Appointment:
    """The appointment, for someone who may change it (404 otherwise): the
    resident, their workers, and a trusted person granted "appointments"
    (``appointment_get_for_user`` checks the grant's scope)."""
    if request.user.role not in {Role.RESIDENT, Role.TRUSTED_PERSON, *CASEWORK_ROLES}:
        raise Http404
    return appointment_get_for_user(user=request.user, public_id=public_id, action=Action.CHANGE)


@login_required_404
@require_http_methods(["GET", "POST"])
def move_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    appointment = _for_change(request, public_id)
    is_resident = booking.acts_for_resident(request.user, appointment)
    if is_resident and not booking.resident_may_change(appointment):
        messages.error(
            request,
            _("Verzetten kan online tot %(hours)s uur vóór de afspraak. Bel of stuur een bericht.")
            % {"hours": appointment.organisation.appointment_change_deadline_hours},
        )
        return redirect("appointments:detail", public_id=appointment.public_id)
    error = ""
    form = None
    days: list[selectors.DayOfSlots] = []
    more: date | None = None
    if is_resident:
        if request.method == "POST":
            try:
                _wall_clock_parse(request.POST.get("tijd", ""))
                booking.appointment_move(appointment=appointment, by=request.user, starts=request.POST.get("tijd", ""))
            except booking.BookingError as exc:
                error = str(exc)
            else:
                messages.success(request, _("De nieuwe tijd is verstuurd. Uw sociaal werker bevestigt die."))
                return redirect("appointments:detail", public_id=appointment.public_id)
        days, more = _days_page(request, worker=appointment.worker, kind=appointment.kind, ignore=appointment)
    else:
        local = timezone.localtime(appointment.starts_at)
        form = MoveForm(
            request.POST or None,
            locations=_locations(request.user),
            initial={
                "day": local.date(),
                "time": local.time().replace(second=0),
                "minutes": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
                "location": appointment.location.public_id if appointment.location else None,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                booking.appointment_move(
                    appointment=appointment,
                    by=request.user,
                    starts_at=booking.moment_of(data["day"], data["time"]),
                    minutes=data["minutes"],
                    location=data["location"],
                )
            except booking.BookingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("De nieuwe tijd is voorgesteld. De inwoner bevestigt die."))
                return redirect("appointments:detail", public_id=appointment.public_id)
    return render(
        request,
        "appointments/move.html",
        {
            "appointment": appointment,
            "spoken": booking.spoken_moment(appointment.starts_at),
            "days": days,
            "more": more,
            "form": form,
            "error": error,
        },
    )


@login_required_404
@require_http_methods(["GET", "POST"])
def cancel_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    appointment = _for_change(request, public_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking.appointment_cancel(appointment=appointment, by=request.user, reason=form.cleaned_data["reason"])
        except booking.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De afspraak is afgezegd. De andere persoon krijgt bericht."))
            return redirect("appointments:detail", public_id=appointment.public_id)
    return render(
        request,
        "appointments/cancel.html",
        {"appointment": appointment, "spoken": booking.spoken_moment(appointment.starts_at), "form": form},
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def no_show_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_get_for_user(user=request.user, public_id=public_id, action=Action.CHANGE)
    try:
        booking.appointment_no_show_record(appointment=appointment, by=request.user)
    except booking.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vastgelegd: de inwoner is niet verschenen."))
    if request.POST.get("terug") == "agenda":
        return redirect("appointments:agenda")
    return redirect("appointments:detail", public_id=appointment.public_id)


# --- Worker ------------------------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def propose_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user,
        public_id=public_id,
        action=Action.CREATE if request.method == "POST" else Action.VIEW,
        object_type="appointment",
    )
    answering = None
    if request.GET.get("verzoek"):
        answering = AppointmentRequest.objects.filter(
            public_id=parse_public_id(request.GET["verzoek"]),
            resident=resident,
            status=AppointmentRequest.Status.OPEN,
        ).first()
    kinds = selectors.kinds_offered_to(resident=resident)
    form = ProposeForm(
        request.POST or None,
        kinds=_kind_choices(kinds),
        locations=_locations(request.user),
        initial={"kind": (answering.kinds[0] if answering and answering.kinds else kinds[0])},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = booking.appointment_propose(
                worker=request.user,
                resident=resident,
                kind=data["kind"],
                starts_at=booking.moment_of(data["day"], data["time"]),
                minutes=data["minutes"],
                location=data["location"],
                topic=data["topic"],
                request=answering,
            )
        except booking.BookingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het voorstel is verstuurd. De inwoner bevestigt de afspraak."))
            return redirect("appointments:detail", public_id=appointment.public_id)
    return render(request, "appointments/propose.html", {"resident": resident, "form": form, "answering": answering})


# ``?weergave=dag`` shows one day as a table; anything else shows the week.
AGENDA_DAY_VIEW = "dag"


def _agenda_query(*, day: date, is_week: bool, worker: User, viewer: User) -> str:
    """The query string of another day or week of the same agenda."""
    params = {"dag": day.isoformat()}
    if not is_week:
        params["weergave"] = AGENDA_DAY_VIEW
    if worker != viewer:
        params["medewerker"] = str(worker.public_id)
    return "?" + urlencode(params)


@require_permission(Permission.USE_CASEWORK)
@require_GET
def agenda_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The viewer's (or, for a team lead, a team member's) agenda: a week
    grid from Monday to Sunday that opens on this week, or one day with
    ``?weergave=dag``. Above it what waits for the worker, whatever the
    week: appointments to confirm and (on one's own agenda) requests
    without a time. The same number of queries for any number of
    appointments."""
    workers = selectors.agenda_workers_for(request.user)
    worker = next((w for w in workers if str(w.public_id) == request.GET.get("medewerker", "")), workers[0])
    is_week = request.GET.get("weergave") != AGENDA_DAY_VIEW
    today = timezone.localdate()
    chosen = day_from_query(request.GET.get("dag"), default=today)
    if chosen is None:
        messages.error(request, _("Deze datum bestaat niet. U ziet vandaag."))
    day = chosen or today
    first_day = day - timedelta(days=day.weekday()) if is_week else day
    days = 7 if is_week else 1
    rows = selectors.agenda_for(
        viewer=request.user, worker=worker, first_day=first_day, days=days, include_cancelled=not is_week
    )
    step = timedelta(days=days)
    context: dict[str, Any] = {
        "workers": workers,
        "worker": worker,
        "week": is_week,
        "day": day,
        "first_day": first_day,
        "last_day": first_day + step - timedelta(days=1),
        "previous": _agenda_query(day=first_day - step, is_week=is_week, worker=worker, viewer=request.user),
        "current": _agenda_query(day=today, is_week=is_week, worker=worker, viewer=request.user),
        "next": _agenda_query(day=first_day + step, is_week=is_week, worker=worker, viewer=request.user),
        "today": today,
        "now": timezone.now(),
        "awaiting": selectors.agenda_awaiting_worker(viewer=request.user, worker=worker),
        "requests": selectors.open_requests_for(viewer=request.user) if worker == request.user else [],
    }
    if is_week:
        sessions = selectors.agenda_group_sessions(viewer=request.user, worker=worker, first_day=first_day, days=days)
        context["grid"] = agenda_grid.week_grid(first_day=first_day, appointments=rows, sessions=sessions, today=today)
    else:
        by_day: dict[date, list[Appointment]] = {first_day: []}
        for appointment in rows:
            by_day.setdefault(timezone.localtime(appointment.starts_at).date(), []).append(appointment)
        context["by_day"] = sorted(by_day.items())
    return render(request, "appointments/agenda.html", context)


# --- Trusted person ------------------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def trusted_appointments_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A trusted person granted "appointments" reads the resident's agenda."""
    if request.user.role != Role.TRUSTED_PERSON:
        raise Http404
    resident = resident_get_for_user(
        user=request.user, public_id=public_id, object_type="appointment", scope="appointments"
    )
    upcoming, _past = selectors.appointments_of_resident(resident=resident, past_days=0)
    return render(request, "appointments/trusted.html", {"resident": resident, "upcoming": upcoming})
