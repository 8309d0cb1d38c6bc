"""Benchmark pages: the dashboard (team lead and organisation admin: their
own organisation against the group, and their own running quarter; a
researcher: the group only), the exports, and the organisation admin's
choice to be named. Everything is read from the stored, published tables
(``benchmark.selectors``); no page computes or reaches a resident."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from benchmark import selectors
from benchmark.access import own_organisation_id, require_benchmark_role
from benchmark.chart import bar_chart
from benchmark.exports import benchmark_csv, benchmark_json, benchmark_xlsx
from benchmark.forms import NamingForm
from benchmark.metrics import NOT_YET_AVAILABLE
from benchmark.models import BenchmarkNaming
from benchmark.quarters import Quarter, QuarterError
from benchmark.selectors import Benchmark, PeriodNotFound
from benchmark.services import benchmark_naming_set
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, require_permission


def _published(request: AuthenticatedHttpRequest) -> tuple[Benchmark | None, str, list[str]]:
    """The published benchmark asked for (``?kwartaal=2026Q3``, else the
    newest) as this viewer may see it, or the Dutch reason there is none.
    Another organisation's detail cannot be asked: the viewer's own
    organisation comes from their account, never from the request."""
    periods = selectors.periods_final()
    quarters = [period.quarter for period in periods]
    try:
        period = selectors.period_final_get(quarter_text=request.GET.get("kwartaal"), periods=periods)
    except (QuarterError, PeriodNotFound) as error:
        return None, str(error), quarters
    if period is None:
        return None, "", quarters
    own = own_organisation_id(request.user)
    return selectors.benchmark_for(period=period, viewer_organisation_id=own), "", quarters


@require_benchmark_role
@require_GET
def dashboard_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    benchmark, error, quarters = _published(request)
    suppressed = _("afgeschermd")
    charts = []
    if benchmark is not None:
        charts = [(figure, bar_chart(figure, suppressed_text=suppressed)) for figure in benchmark.figures]
    running = None
    own = own_organisation_id(request.user)
    if own is not None:
        period = selectors.period_running_get(today_quarter=Quarter.containing(timezone.localdate()))
        if period is not None:
            running = selectors.benchmark_for(period=period, viewer_organisation_id=own, own_only=True)
    return render(
        request,
        "benchmark/dashboard.html",
        {
            "benchmark": benchmark,
            "charts": charts,
            "error": error,
            "quarters": quarters,
            "running": running,
            "is_researcher": own is None,
            "is_admin": request.user.role == Role.ORGANISATION_ADMIN,
            "not_yet_available": list(NOT_YET_AVAILABLE.values()),
        },
        status=404 if error else 200,
    )


def _export(request: AuthenticatedHttpRequest, extension: str) -> HttpResponse:
    benchmark, error, _quarters = _published(request)
    if benchmark is None:
        message = error or _("Er is nog geen benchmark gepubliceerd.")
        return HttpResponse(message, status=404, content_type="text/plain; charset=utf-8")
    name = f"benchmark-{benchmark.period.quarter}.{extension}"
    if extension == "csv":
        response = HttpResponse(benchmark_csv(benchmark), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(
            benchmark_xlsx(benchmark),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            json.dumps(benchmark_json(benchmark), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_benchmark_role
@require_GET
def export_csv_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_benchmark_role
@require_GET
def export_xlsx_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@require_benchmark_role
@require_GET
def export_json_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "json")


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def naming_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation admin chooses whether the other organisations see
    the organisation's name in the benchmark (default: a letter)."""
    organisation = request.user.organisation
    assert organisation is not None
    naming = BenchmarkNaming.objects.filter(organisation=organisation).first()
    form = NamingForm(request.POST or None, initial={"is_named": bool(naming and naming.is_named)})
    if request.method == "POST" and form.is_valid():
        benchmark_naming_set(organisation=organisation, is_named=form.cleaned_data["is_named"], changed_by=request.user)
        if form.cleaned_data["is_named"]:
            messages.success(request, _("De andere organisaties zien nu onze naam in de benchmark."))
        else:
            messages.success(request, _("De andere organisaties zien ons nu als een letter in de benchmark."))
        return redirect("benchmark:naming")
    return render(request, "benchmark/naming.html", {"form": form})
