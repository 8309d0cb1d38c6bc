"""Effect measurement pages: the worker's progress page of a resident, a new
measurement, one measurement (edit while a draft, sign off, share); the
resident's own progress page and self-assessment. Every page reaches the
resident through ``outcomes.access`` or the policy core, which log the read
or the refusal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from outcomes import selectors
from outcomes.access import measurement_get_for_user, outcomes_resident_get_for_user, outcomes_residents_for_user
from outcomes.chart import Radar, radar_chart
from outcomes.forms import IndicatorImportForm, MeasurementForm, ShareForm
from outcomes.models import Instrument, Moment
from outcomes.selectors import ProgressPicture
from outcomes.services import (
    OutcomeError,
    indicator_texts_import,
    measurement_change,
    measurement_record,
    measurement_share,
    measurement_sign_off,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, organisation_id_of, require_permission


def _series_name(row: selectors.MeasurementRow, *, for_resident: bool) -> str:
    instrument = row.instrument
    if instrument.kind == Instrument.Kind.SELF_ASSESSMENT:
        who = _("Zelf ingevuld") if for_resident else _("Inwoner")
    else:
        who = _("Medewerker") if for_resident else _("ZRM")
    moment = Moment(row.measurement.moment).label
    return f"{who}, {moment} {row.measurement.measured_on:%d-%m-%Y}"


def _radar(picture: ProgressPicture, *, for_resident: bool) -> Radar | None:
    if not picture.chart_rows:
        return None
    return radar_chart(
        [domain.label for domain in picture.domains],
        [
            (
                _series_name(row, for_resident=for_resident),
                [row.values.get(domain.code) for domain in picture.domains],
            )
            for row in picture.chart_rows
        ],
        is_numbered=for_resident,
    )


def _progress_context(resident: User, *, for_resident: bool) -> dict[str, Any]:
    picture = selectors.progress_picture(resident=resident, for_resident=for_resident, today=timezone.localdate())
    radar = _radar(picture, for_resident=for_resident)
    return {
        "resident": resident,
        "picture": picture,
        "radar": radar,
        "legend": list(zip(picture.chart_rows, radar.lines, strict=True)) if radar else [],
    }


# --- Staff -----------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_progress_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = outcomes_resident_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "outcomes/staff_progress.html",
        {
            **_progress_context(resident, for_resident=False),
            "instruments": selectors.instrument_versions_current(
                organisation_id=resident.organisation_id, filled_by=Instrument.FilledBy.WORKER
            ),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_measurement_add_view(request: AuthenticatedHttpRequest, public_id: str, version_id: str) -> HttpResponse:
    action = Action.CREATE if request.method == "POST" else Action.VIEW
    resident = outcomes_resident_get_for_user(user=request.user, public_id=public_id, action=action)
    version = selectors.instrument_version_get(organisation_id=resident.organisation_id, public_id=version_id)
    if version.instrument.filled_by != Instrument.FilledBy.WORKER:
        messages.error(request, _("Deze vragenlijst vult de inwoner zelf in."))
        return redirect("outcomes:staff_progress", public_id=resident.public_id)
    form = MeasurementForm(
        request.POST or None,
        version=version,
        for_resident=False,
        indicators=selectors.indicator_texts_of(organisation_id=organisation_id_of(resident), version=version),
        initial={"measured_on": timezone.localdate(), "moment": Moment.INTAKE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            measurement = measurement_record(
                resident=resident,
                version=version,
                moment=form.cleaned_data["moment"],
                measured_on=form.cleaned_data["measured_on"],
                scored_by=request.user,
                scores=form.scores(),
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De meting is opgeslagen als concept. Teken haar af als ze klaar is."))
            return redirect("outcomes:staff_measurement", public_id=measurement.public_id)
    return render(
        request, "outcomes/staff_measurement_form.html", {"form": form, "resident": resident, "version": version}
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_measurement_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    measurement = measurement_get_for_user(user=request.user, public_id=public_id, action=action)
    if request.method == "POST" and measurement.is_locked:
        # Refused (and logged) by the service: a signed-off measurement is locked.
        try:
            measurement_change(
                measurement=measurement,
                changed_by=request.user,
                moment=measurement.moment,
                measured_on=measurement.measured_on,
                scores={},
            )
        except OutcomeError as error:
            messages.error(request, str(error))
        return redirect("outcomes:staff_measurement", public_id=measurement.public_id)
    scores = selectors.measurement_scores(measurement=measurement)
    form = None
    if not measurement.is_locked:
        form = MeasurementForm(
            request.POST or None,
            version=measurement.version,
            for_resident=False,
            indicators=selectors.indicator_texts_of(
                organisation_id=organisation_id_of(measurement.resident), version=measurement.version
            ),
            initial=MeasurementForm.initial_for(measurement, scores),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            measurement_change(
                measurement=measurement,
                changed_by=request.user,
                moment=form.cleaned_data["moment"],
                measured_on=form.cleaned_data["measured_on"],
                scores=form.scores(),
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De meting is gewijzigd."))
            return redirect("outcomes:staff_measurement", public_id=measurement.public_id)
    is_resident_filled = measurement.version.instrument.filled_by == Instrument.FilledBy.RESIDENT
    return render(
        request,
        "outcomes/staff_measurement.html",
        {
            "measurement": measurement,
            "resident": measurement.resident,
            "scores": scores,
            "form": form,
            "is_resident_filled": is_resident_filled,
            "is_outdated": measurement.is_locked and measurement.is_outdated_on(timezone.localdate()),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_sign_off_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    measurement = measurement_get_for_user(user=request.user, public_id=public_id, action=Action.CHANGE)
    try:
        measurement_sign_off(measurement=measurement, signed_off_by=request.user)
    except OutcomeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De meting is afgetekend. Ze kan nu niet meer worden gewijzigd."))
    return redirect("outcomes:staff_measurement", public_id=measurement.public_id)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_share_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    measurement = measurement_get_for_user(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = ShareForm(request.POST)
    is_shared = form.is_valid() and form.cleaned_data["is_shared"]
    try:
        measurement_share(measurement=measurement, shared_by=request.user, is_shared=is_shared)
    except OutcomeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("De inwoner ziet deze meting nu.") if is_shared else _("De inwoner ziet deze meting niet meer.")
        )
    return redirect("outcomes:staff_measurement", public_id=measurement.public_id)


@require_permission(Permission.USE_CASEWORK)
@require_GET
def caseload_progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The average ZRM change per domain over the caseload (a team lead:
    the team's), with n. Aggregates only; the read is logged once."""
    residents = outcomes_residents_for_user(user=request.user)
    return render(
        request,
        "outcomes/caseload_progress.html",
        {
            "changes": selectors.caseload_changes(residents=residents),
            "is_team_lead": request.user.role == Role.TEAM_LEAD,
        },
    )


# --- The organisation admin --------------------------------------------------------


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def indicator_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An organisation that holds the ZRM licence reads in its indicator
    texts; its workers see them when they score."""
    organisation_id = organisation_id_of(request.user)
    versions = [
        version
        for version in selectors.instrument_versions_current(organisation_id=organisation_id)
        if version.instrument.kind == Instrument.Kind.MATRIX
    ]
    form = IndicatorImportForm(request.POST or None, request.FILES or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        version = selectors.instrument_version_get(
            organisation_id=organisation_id, public_id=form.cleaned_data["version"]
        )
        try:
            count = indicator_texts_import(
                organisation_id=organisation_id,
                version=version,
                content=form.cleaned_data["file"],
                imported_by=request.user,
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)s indicatoren ingelezen.") % {"count": count})
            return redirect("outcomes:indicator_import")
    counts = [
        (version, selectors.indicator_text_count(organisation_id=organisation_id, version=version))
        for version in versions
    ]
    return render(request, "outcomes/indicator_import.html", {"form": form, "counts": counts})


# --- The resident ------------------------------------------------------------------


def _me(request: AuthenticatedHttpRequest, action: str = Action.VIEW) -> User:
    """The signed-in resident; a trusted person gets 404 (this is the
    resident's own)."""
    return outcomes_resident_get_for_user(user=request.user, public_id=request.user.public_id, action=action)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def resident_progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request)
    return render(request, "outcomes/resident_progress.html", _progress_context(resident, for_resident=True))


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def resident_fill_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, Action.CREATE if request.method == "POST" else Action.VIEW)
    version = selectors.self_assessment_current(organisation_id=resident.organisation_id)
    if version is None:
        messages.error(request, _("Er is nu geen vragenlijst om in te vullen."))
        return redirect("outcomes:resident_progress")
    earlier = selectors.has_filled_in(resident=resident, version=version)
    form = MeasurementForm(
        request.POST or None,
        version=version,
        for_resident=True,
        initial={"moment": Moment.REVIEW if earlier else Moment.INTAKE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            measurement_record(
                resident=resident,
                version=version,
                moment=form.cleaned_data["moment"],
                measured_on=timezone.localdate(),
                scored_by=request.user,
                scores=form.scores(),
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u wel. Uw antwoorden zijn opgeslagen. Uw medewerker ziet ze ook."))
            return redirect("outcomes:resident_progress")
    return render(request, "outcomes/resident_fill.html", {"form": form, "version": version})
