"""The worker's day page ("Vandaag")."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pages.worker_day import worker_day
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Permission, require_permission


@require_permission(Permission.USE_CASEWORK)
@never_cache
@require_GET
def today_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    day = worker_day(request.user)
    return render(request, "pages/today.html", {"day": day, "counts": day.counts})
