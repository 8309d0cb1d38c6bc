"""Effect measurement pages: the worker's progress page of a resident, a new
measurement, one measurement (edit while a draft, sign off, share); the
resident's own progress page and self-assessment. Every page reaches the
resident through ``outcomes.access`` or the policy core, which log the read
or the refusal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from casefiles.selectors import case_current, goals_active
from outcomes import selectors
from outcomes.access import (
    measurement_get_for_user,
    outcomes_resident_get_for_user,
    outcomes_residents_for_scope,
)
from outcomes.chart import SEGMENT_COLOURS, Radar, radar_chart, stacked_bars
from outcomes.forms import IndicatorImportForm, ItemForm, MeasurementForm, QuestionnaireForm, ShareForm
from outcomes.models import Instrument, InstrumentVersion, Moment
from outcomes.selectors import ProgressPicture
from outcomes.services import (
    ItemInput,
    OutcomeError,
    indicator_texts_import,
    measurement_change,
    measurement_record,
    measurement_share,
    measurement_sign_off,
    questionnaire_create,
    questionnaire_item_delete,
    questionnaire_item_move,
    questionnaire_item_save,
    questionnaire_version_new,
    questionnaire_version_publish,
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
            "instruments": [
                version
                for version in selectors.instrument_versions_current(organisation_id=resident.organisation_id)
                if version.instrument.filled_by != Instrument.FilledBy.RESIDENT
            ],
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_measurement_add_view(request: AuthenticatedHttpRequest, public_id: str, version_id: str) -> HttpResponse:
    action = Action.CREATE if request.method == "POST" else Action.VIEW
    resident = outcomes_resident_get_for_user(user=request.user, public_id=public_id, action=action)
    version = selectors.instrument_version_get(organisation_id=resident.organisation_id, public_id=version_id)
    if version.instrument.filled_by == Instrument.FilledBy.RESIDENT:
        messages.error(request, _("Deze vragenlijst vult de inwoner zelf in."))
        return redirect("outcomes:staff_progress", public_id=resident.public_id)
    form = MeasurementForm(
        request.POST or None,
        version=version,
        for_resident=False,
        indicators=selectors.indicator_texts_of(organisation_id=organisation_id_of(resident), version=version),
        goals=goals_active(case=case_current(resident=resident)),
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
                goal_ids=form.goal_ids(),
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
            goals=goals_active(case=case_current(resident=measurement.resident)),
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
                goal_ids=form.goal_ids() if "goals" in form.fields else None,
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De meting is gewijzigd."))
            return redirect("outcomes:staff_measurement", public_id=measurement.public_id)
    is_resident_filled = measurement.scored_by_id == measurement.resident_id
    return render(
        request,
        "outcomes/staff_measurement.html",
        {
            "measurement": measurement,
            "resident": measurement.resident,
            "scores": scores,
            "goals": selectors.measurement_goals(measurement=measurement),
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


SCOPE_TITLES = {
    "caseload": _("Voortgang van mijn inwoners"),
    "team": _("Voortgang van de inwoners van mijn team"),
    "organisatie": _("Voortgang van de inwoners van de organisatie"),
}


def _progress_page(request: AuthenticatedHttpRequest, *, scope: str, scopes: list[str]) -> HttpResponse:
    """The aggregate page: the average change per domain with n, and the
    distribution at the latest ZRM as a chart with its table. A team's and
    the organisation's figures are cached for the day; there, a count under
    10 is shown as "minder dan 10" and names nobody."""
    residents = outcomes_residents_for_scope(user=request.user, scope=scope)
    is_group = scope != "caseload"
    cache_key = (
        selectors.progress_cache_key(
            scope=scope,
            organisation_id=organisation_id_of(request.user),
            team_id=request.user.team_id if scope == "team" else None,
            day=timezone.localdate(),
        )
        if is_group
        else None
    )
    aggregate = selectors.progress_aggregate(residents=residents, cache_key=cache_key)
    distribution = aggregate.distribution
    values = [value for value, _label in distribution.points]

    def shown(count: int) -> int | None:
        return None if is_group and 0 < count < selectors.SMALL_N else count

    table = [
        (row, [(value, shown(row.counts.get(value, 0))) for value in values], shown(row.total))
        for row in distribution.rows
    ]
    chart = stacked_bars([(row.label, dict(cells)) for row, cells, _total in table], values) if table else None
    change_rows = [(change, shown(change.count)) for change in aggregate.changes]
    return render(
        request,
        "outcomes/caseload_progress.html",
        {
            "scope": scope,
            "scopes": [(each, SCOPE_TITLES[each]) for each in scopes],
            "title": SCOPE_TITLES[scope],
            "is_group": is_group,
            "changes": aggregate.changes,
            "change_rows": change_rows,
            "points": distribution.points,
            "table": table,
            "chart": chart,
            "legend": [(value, label, chart_colour(value)) for value, label in distribution.points],
            "small_n": selectors.SMALL_N,
        },
    )


def chart_colour(value: int) -> str:
    return SEGMENT_COLOURS.get(value, "#5a5a5a")


@require_permission(Permission.USE_CASEWORK)
@require_GET
def caseload_progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Over the worker's caseload; a team lead chooses the team (the
    default) or the whole organisation. Aggregates only; the read is logged
    once."""
    scopes = ["team", "organisatie"] if request.user.role == Role.TEAM_LEAD else ["caseload"]
    scope = request.GET.get("niveau", scopes[0])
    if scope not in scopes:
        raise Http404
    return _progress_page(request, scope=scope, scopes=scopes)


@require_permission(Permission.MANAGE_ORGANISATION)
@require_GET
def organisation_progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation admin: the organisation's figures, no names."""
    return _progress_page(request, scope="organisatie", scopes=[])


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
    return render(
        request,
        "outcomes/resident_progress.html",
        {
            **_progress_context(resident, for_resident=True),
            "questionnaires": selectors.questionnaires_for_resident(organisation_id=resident.organisation_id),
        },
    )


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


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def resident_questionnaire_view(request: AuthenticatedHttpRequest, version_id: str) -> HttpResponse:
    """One of the organisation's own questionnaires, filled in by the
    resident (large, B1, a "liever in een gesprek" tick per question)."""
    resident = _me(request, Action.CREATE if request.method == "POST" else Action.VIEW)
    version = selectors.questionnaire_version_get(
        organisation_id=resident.organisation_id, public_id=version_id, filler=Instrument.FilledBy.RESIDENT
    )
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
    return render(request, "outcomes/resident_questionnaire.html", {"form": form, "version": version})


# --- The questionnaire builder (the organisation admin) -----------------------------


def _admin_version(request: AuthenticatedHttpRequest, version_id: str) -> InstrumentVersion:
    return selectors.version_get_for_admin(organisation_id=organisation_id_of(request.user), public_id=version_id)


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def instrument_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's own questionnaires and the shipped instruments
    (read-only); a new questionnaire."""
    organisation_id = organisation_id_of(request.user)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = questionnaire_create(
                organisation_id=organisation_id,
                name=form.cleaned_data["name"],
                filled_by=form.cleaned_data["filled_by"],
                validity_days=form.cleaned_data["validity_days"],
                description=form.cleaned_data["description"],
                created_by=request.user,
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De vragenlijst is gemaakt. Voeg nu de vragen toe."))
            return redirect("outcomes:version_edit", version_id=instrument.versions.get().public_id)
    own, shipped = selectors.instruments_for_admin(organisation_id=organisation_id)
    return render(request, "outcomes/instrument_list.html", {"form": form, "own": own, "shipped": shipped})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_GET
def instrument_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """An instrument with its version history."""
    instrument = selectors.instrument_get_for_admin(
        organisation_id=organisation_id_of(request.user), public_id=public_id
    )
    versions = list(instrument.versions.all())
    return render(
        request,
        "outcomes/instrument_detail.html",
        {
            "instrument": instrument,
            "versions": versions,
            "is_own": instrument.organisation_id is not None,
            "has_draft": any(version.published_at is None for version in versions),
        },
    )


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def version_new_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    instrument = selectors.instrument_get_for_admin(
        organisation_id=organisation_id_of(request.user), public_id=public_id
    )
    try:
        version = questionnaire_version_new(instrument=instrument, created_by=request.user)
    except OutcomeError as error:
        messages.error(request, str(error))
        return redirect("outcomes:instrument_detail", public_id=instrument.public_id)
    messages.success(request, _("Versie %(number)s is klaar om te wijzigen.") % {"number": version.number})
    return redirect("outcomes:version_edit", version_id=version.public_id)


def _item_input(form: ItemForm) -> ItemInput:
    return ItemInput(
        label=form.cleaned_data["label"],
        answer_type=form.cleaned_data["answer_type"],
        resident_wording=form.cleaned_data["resident_wording"],
        options=form.option_lines(),
        max_length=form.cleaned_data["max_length"],
    )


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def version_edit_view(request: AuthenticatedHttpRequest, version_id: str) -> HttpResponse:
    """A version's questions; while it may change (the organisation's own,
    not yet used), a form to add one."""
    version = _admin_version(request, version_id)
    is_own = version.instrument.organisation_id is not None
    is_editable = is_own and not version.is_frozen
    form = ItemForm(request.POST or None) if is_editable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Deze versie ligt vast. Maak een nieuwe versie om iets te veranderen."))
            return redirect("outcomes:version_edit", version_id=version.public_id)
        if form.is_valid():
            try:
                questionnaire_item_save(version=version, data=_item_input(form), saved_by=request.user)
            except OutcomeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("De vraag is toegevoegd."))
                return redirect("outcomes:version_edit", version_id=version.public_id)
    return render(
        request,
        "outcomes/version_edit.html",
        {"version": version, "items": list(version.items.all()), "form": form, "is_editable": is_editable},
    )


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def item_edit_view(request: AuthenticatedHttpRequest, version_id: str, order: int) -> HttpResponse:
    version = _admin_version(request, version_id)
    item = next((each for each in version.items.all() if each.order == order), None)
    if item is None or version.instrument.organisation_id is None or version.is_frozen:
        raise Http404
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire_item_save(version=version, data=_item_input(form), saved_by=request.user, order=order)
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De vraag is gewijzigd."))
            return redirect("outcomes:version_edit", version_id=version.public_id)
    return render(request, "outcomes/item_edit.html", {"version": version, "item": item, "form": form})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def item_change_view(request: AuthenticatedHttpRequest, version_id: str, order: int) -> HttpResponse:
    """Move a question up or down, or remove it (``actie``)."""
    version = _admin_version(request, version_id)
    action = request.POST.get("actie", "")
    try:
        if action in ("omhoog", "omlaag"):
            questionnaire_item_move(version=version, order=order, up=action == "omhoog", moved_by=request.user)
        elif action == "verwijderen":
            questionnaire_item_delete(version=version, order=order, deleted_by=request.user)
            messages.success(request, _("De vraag is verwijderd."))
        else:
            messages.error(request, _("Kies omhoog, omlaag of verwijderen."))
    except OutcomeError as error:
        messages.error(request, str(error))
    return redirect("outcomes:version_edit", version_id=version.public_id)


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def version_publish_view(request: AuthenticatedHttpRequest, version_id: str) -> HttpResponse:
    version = _admin_version(request, version_id)
    try:
        questionnaire_version_publish(version=version, published_by=request.user)
    except OutcomeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De vragenlijst is gepubliceerd. Ze kan nu worden ingevuld."))
    return redirect("outcomes:version_edit", version_id=version.public_id)
