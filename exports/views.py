"""The resident's page to download all their own data: request, follow the
progress (with JavaScript a small poll that reloads the page when the ZIP
is ready; without it a link to look again — no timed refresh, which
WCAG 2.2.1 and axe refuse), and download. Only the resident themselves reaches it; a
trusted person gets 404 (as for the diary: the export is the resident's own)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from exports.access import export_get_for_user
from exports.selectors import exports_of
from exports.services import ExportError, export_download, export_request
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, require_permission, resident_get_for_user


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        resident = resident_get_for_user(
            user=user, public_id=user.public_id, action=Action.CREATE, object_type="data_export"
        )
        try:
            export_request(resident=resident)
        except ExportError as error:
            messages.error(request, str(error))
        return redirect("exports:home")
    resident = resident_get_for_user(user=user, public_id=user.public_id, object_type="data_export")
    exports = list(exports_of(resident=resident))
    in_progress = next((export for export in exports if export.is_in_progress), None)
    return render(
        request,
        "exports/home.html",
        {
            "exports": exports,
            "in_progress": in_progress,
            "now": timezone.now(),
            "valid_days": settings.EXPORT_VALID_DAYS,
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def progress_view(request: AuthenticatedHttpRequest, public_id: str) -> JsonResponse:
    export = export_get_for_user(user=request.user, public_id=public_id)
    return JsonResponse(
        {"status": export.status, "progress": export.progress, "label": str(export.get_status_display())}
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def download_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    export = export_get_for_user(user=request.user, public_id=public_id, action=Action.EXPORT)
    try:
        content = export_download(export=export, user=request.user)
    except ExportError as error:
        messages.error(request, str(error))
        return redirect("exports:home")
    except FileNotFoundError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
