"""The privacy officer's retention pages: the organisation's periods, legal
holds, the destruction register (page and CSV), the dry run of the next
purge, and carrying out an erasure request. Behind the officer's permission
like the other privacy pages; objects through ``privacy.access``
(another organisation's: 404, logged). Views are thin: forms check, the
engine (``privacy.retention``) changes and logs."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from audit.services import Access, access_log_record
from casefiles.selectors import case_history
from organisations.models import Organisation
from privacy import selectors
from privacy.access import (
    legal_hold_get_for_officer,
    privacy_request_get_for_officer,
    resident_get_for_officer,
    residents_for_officer,
)
from privacy.forms import HoldForm, HoldLiftForm, HoldResidentForm, RetentionSettingsForm
from privacy.models import DestructionRecord
from privacy.retention import (
    RetentionError,
    erasure_execute,
    legal_hold_lift,
    legal_hold_place,
    record_class_label,
    retention_periods,
    retention_plan,
    retention_settings_get,
    retention_settings_set,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, organisation_id_of, require_permission, residents_log_listed
from samenspraak.spreadsheet import csv_cell_safe

OFFICER = Permission.VIEW_ACCESS_LOG
PAGE_SIZE = 50


@require_permission(OFFICER)
@require_http_methods(["GET", "POST"])
def retention_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id = organisation_id_of(request.user)
    settings = retention_settings_get(organisation_id=organisation_id)
    periods = retention_periods(organisation_id=organisation_id)
    form = RetentionSettingsForm(
        request.POST or None,
        periods=periods,
        initial={"provides_youth_care": settings.provides_youth_care if settings else False},
    )
    if request.method == "POST" and form.is_valid():
        try:
            retention_settings_set(
                officer=request.user,
                provides_youth_care=form.cleaned_data["provides_youth_care"],
                periods=form.chosen_periods(),
            )
        except RetentionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            return redirect("privacy:retention")
    return render(request, "privacy/retention_settings.html", {"form": form, "periods": periods})


@require_permission(OFFICER)
@require_GET
def retention_preview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dry run: what the next purge would destroy, per class, and what a
    legal hold keeps. Counts only: no resident is named."""
    plans = retention_plan(organisation_id=organisation_id_of(request.user))
    return render(request, "privacy/retention_preview.html", {"plans": plans, "now": timezone.now()})


def _case_choices(resident: User) -> list[tuple[str, str]]:
    choices = []
    for case in case_history(resident=resident):
        opened = timezone.localtime(case.opened_at).strftime("%d-%m-%Y")
        if case.closed_at is not None:
            label = _("Dossier van %(opened)s tot %(closed)s") % {
                "opened": opened,
                "closed": timezone.localtime(case.closed_at).strftime("%d-%m-%Y"),
            }
        else:
            label = _("Dossier sinds %(opened)s (loopt nog)") % {"opened": opened}
        choices.append((str(case.public_id), label))
    return choices


@require_permission(OFFICER)
@require_http_methods(["GET", "POST"])
def holds_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The holds, and placing one in two steps: choose the resident (GET),
    then everything of theirs or one case file, and the reason (POST)."""
    organisation_id_of(request.user)
    residents = residents_for_officer(request.user)
    chooser = HoldResidentForm(request.GET if "inwoner" in request.GET else None, residents=residents)
    resident = None
    hold_form = None
    wanted = request.POST.get("inwoner") if request.method == "POST" else None
    if wanted is not None:
        resident = resident_get_for_officer(user=request.user, public_id=wanted, action=Action.CREATE)
    elif chooser.is_bound and chooser.is_valid():
        resident = resident_get_for_officer(user=request.user, public_id=chooser.cleaned_data["inwoner"].public_id)
    if resident is not None:
        hold_form = HoldForm(request.POST or None, cases=_case_choices(resident))
        if request.method == "POST" and hold_form.is_valid():
            try:
                legal_hold_place(
                    officer=request.user,
                    resident=resident,
                    reason=hold_form.cleaned_data["reason"],
                    case_ref=hold_form.cleaned_data["case"],
                )
            except RetentionError as error:
                hold_form.add_error(None, str(error))
            else:
                messages.success(request, _("De bewaarplicht is vastgelegd."))
                return redirect("privacy:holds")
    holds = list(selectors.legal_holds_list(officer=request.user))
    residents_log_listed(user=request.user, residents=[hold.resident for hold in holds], object_type="legal_hold")
    return render(
        request,
        "privacy/holds.html",
        {
            "holds": holds,
            "chooser": chooser,
            "resident": resident,
            "hold_form": hold_form,
            "lift_form": HoldLiftForm(),
        },
    )


@require_permission(OFFICER)
@require_POST
def hold_lift_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    hold = legal_hold_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = HoldLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf op waarom de bewaarplicht wordt opgeheven."))
        return redirect("privacy:holds")
    try:
        legal_hold_lift(hold=hold, officer=request.user, reason=form.cleaned_data["reason"])
    except RetentionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De bewaarplicht is opgeheven."))
    return redirect("privacy:holds")


@require_permission(OFFICER)
@require_GET
def destructions_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.destruction_records_list(officer=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = [(record, record_class_label(record.record_class)) for record in page.object_list]
    return render(request, "privacy/destructions.html", {"page": page, "rows": rows})


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = ["vernietigd_op", "soort", "soort_naam", "object", "inwoner_referentie", "regel", "aanleiding", "verzoek"]


def _csv_rows(records: QuerySet[DestructionRecord]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for record in records.select_related("request").iterator(chunk_size=2000):
        yield writer.writerow(
            [
                timezone.localtime(record.destroyed_at).isoformat(),
                record.record_class,
                csv_cell_safe(record_class_label(record.record_class)),
                csv_cell_safe(record.object_id),
                str(record.resident_ref or ""),
                csv_cell_safe(record.rule),
                record.get_trigger_display(),
                str(record.request.public_id) if record.request else "",
            ]
        )


@require_permission(OFFICER)
@require_GET
def destructions_csv_view(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    organisation_id = organisation_id_of(request.user)
    organisation = Organisation.objects.get(pk=organisation_id)
    access_log_record(
        actor=request.user,
        accesses=[
            Access(
                None,
                "destruction_register",
                str(organisation.public_id),
                Action.EXPORT,
                organisation_id=organisation_id,
            )
        ],
    )
    response = StreamingHttpResponse(
        _csv_rows(selectors.destruction_records_list(officer=request.user)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="vernietigingsregister-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_permission(OFFICER)
@require_POST
def request_erase_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """ "Uitvoeren" on an erasure request: the engine destroys what may go and
    stores what it kept, with the reasons, on the request."""
    item = privacy_request_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    try:
        erasure_execute(request=item, officer=request.user)
    except RetentionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De verwijdering is uitgevoerd. Het verslag staat hieronder."))
    return redirect("privacy:request_detail", public_id=item.public_id)
