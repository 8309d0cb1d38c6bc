"""The privacy officer's access log and the resident's "who looked"."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role, User
from audit.forms import AccessLogSearchForm
from audit.models import AccessLogEntry
from audit.selectors import access_log_for_resident, access_log_search
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, organisation_id_of, require_permission, resident_get_for_user
from samenspraak.spreadsheet import csv_cell_safe

PAGE_SIZE = 50


def _search(request: AuthenticatedHttpRequest) -> tuple[AccessLogSearchForm, QuerySet[AccessLogEntry]]:
    officer = request.user
    people = User.objects.filter(organisation_id=organisation_id_of(officer)).order_by("sort_name", "first_name")
    form = AccessLogSearchForm(
        request.GET or None,
        residents=people.filter(role=Role.RESIDENT),
        users=people.exclude(role=Role.RESIDENT),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = access_log_search(
            privacy_officer=officer,
            subject=data["subject"],
            actor=data["actor"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        entries = AccessLogEntry.objects.none()
    else:
        entries = access_log_search(privacy_officer=officer)
    return form, entries


@require_permission(Permission.VIEW_ACCESS_LOG)
@require_GET
def access_log_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, entries = _search(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "tijdstip",
    "gebruiker",
    "rol",
    "inwoner_id",
    "soort_gegevens",
    "object_id",
    "handeling",
    "uitkomst",
    "ip_adres",
    "sessie",
    "pagina",
    "volgnummer",
    "hash",
    "organisatie_gebruiker",
    # Readable names after the codes, so scripts that read the columns by
    # position keep working.
    "soort_gegevens_naam",
    "handeling_naam",
]


def _csv_rows(entries: QuerySet[AccessLogEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for entry in entries.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                timezone.localtime(entry.occurred_at).isoformat(),
                csv_cell_safe(entry.actor_name),
                entry.actor_role,
                str(entry.subject.public_id) if entry.subject else "",
                entry.object_type,
                entry.object_id,
                entry.action,
                entry.outcome,
                entry.ip_address or "",
                entry.session_ref,
                csv_cell_safe(entry.request_path),
                entry.sequence,
                entry.entry_hash,
                csv_cell_safe(entry.actor_organisation.name) if entry.actor_organisation else "",
                entry.object_type_label,
                entry.get_action_display(),
            ]
        )


@require_permission(Permission.VIEW_ACCESS_LOG)
@require_GET
def access_log_export_view(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    _form, entries = _search(request)
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def who_looked_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(user=user, public_id=user.public_id, object_type="access_log")
    page = Paginator(access_log_for_resident(resident=resident), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "audit/who_looked.html", {"page": page})
