"""Availability pages: the worker's own times and absences, the admin's
closing days."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appointments import services
from appointments.forms import AvailabilityForm, BookingRulesForm, ClosingDayForm, ExceptionForm
from appointments.models import AvailabilityException, ClosingDay, WeeklyAvailability, WorkerBookingRules
from organisations.models import Location
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, organisation_id_of, parse_public_id, require_permission


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def availability_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = request.user
    locations = Location.objects.filter(organisation_id=organisation_id_of(worker), is_active=True)
    rules = WorkerBookingRules.objects.filter(worker=worker).first() or WorkerBookingRules(worker=worker)
    which = request.POST.get("formulier", "") if request.method == "POST" else ""
    block_form = AvailabilityForm(request.POST if which == "tijd" else None, locations=locations, prefix="tijd")
    absence_form = ExceptionForm(request.POST if which == "afwezig" else None, prefix="afwezig")
    rules_form = BookingRulesForm(
        request.POST if which == "regels" else None,
        prefix="regels",
        initial={
            "slot_minutes": rules.slot_minutes,
            "buffer_minutes": rules.buffer_minutes,
            "max_per_day": rules.max_per_day,
        },
    )
    form = {"tijd": block_form, "afwezig": absence_form, "regels": rules_form}.get(which)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "tijd":
                services.availability_add(worker=worker, **data)
            elif which == "afwezig":
                services.exception_add(worker=worker, **data)
            else:
                services.booking_rules_set(worker=worker, **data)
        except services.AvailabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("appointments:availability")
    return render(
        request,
        "appointments/availability.html",
        {
            "blocks": WeeklyAvailability.objects.filter(worker=worker).select_related("location"),
            "absences": AvailabilityException.objects.filter(worker=worker, last_day__gte=timezone.localdate()),
            "block_form": block_form,
            "absence_form": absence_form,
            "rules_form": rules_form,
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def availability_remove_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    block = WeeklyAvailability.objects.filter(public_id=parse_public_id(public_id), worker=request.user).first()
    if block is None:
        raise Http404
    services.availability_remove(availability=block, removed_by=request.user)
    messages.success(request, _("De tijd is verwijderd."))
    return redirect("appointments:availability")


@require_permission(Permission.USE_CASEWORK)
@require_POST
def exception_remove_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    absence = AvailabilityException.objects.filter(public_id=parse_public_id(public_id), worker=request.user).first()
    if absence is None:
        raise Http404
    services.exception_remove(exception=absence, removed_by=request.user)
    messages.success(request, _("De afwezigheid is verwijderd."))
    return redirect("appointments:availability")


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def closing_days_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    assert organisation is not None
    form = ClosingDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closing_day_add(organisation=organisation, added_by=request.user, **form.cleaned_data)
        except services.AvailabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De sluitingsdag is toegevoegd."))
            return redirect("appointments:closing_days")
    days = ClosingDay.objects.filter(organisation=organisation, day__gte=timezone.localdate())
    return render(request, "appointments/closing_days.html", {"form": form, "days": days})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def closing_day_remove_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    closing = ClosingDay.objects.filter(
        public_id=parse_public_id(public_id), organisation_id=organisation_id_of(request.user)
    ).first()
    if closing is None:
        raise Http404
    services.closing_day_remove(closing=closing, removed_by=request.user)
    messages.success(request, _("De sluitingsdag is verwijderd."))
    return redirect("appointments:closing_days")
