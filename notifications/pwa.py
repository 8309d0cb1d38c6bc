"""The installable app: manifest, service worker and offline page.

The service worker keeps only the offline page and static files. It never
stores another page: every page here may show personal data, so a page
comes from the network or, offline, the offline page takes its place."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

DEFAULT_THEME_COLOUR = "#1f5fa8"
SERVICE_WORKER = "js/sw.js"
# Static files the offline page needs, kept by the service worker when it installs.
PRECACHED_STATIC = ("css/samenspraak.css", "img/favicon.svg", "icons/icon-192.png", "js/pwa.js")


@require_GET
def manifest_view(request: HttpRequest) -> JsonResponse:
    """The organisation's name and colour for someone signed in; else Samenspraak's."""
    organisation = getattr(request.user, "organisation", None) if request.user.is_authenticated else None
    name = getattr(organisation, "name", "") or "Samenspraak"
    colour = getattr(organisation, "brand_colour", "") or DEFAULT_THEME_COLOUR
    manifest = {
        "name": name,
        "short_name": name if len(name) <= 12 else "Samenspraak",
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "theme_color": colour,
        "background_color": colour,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def _static_bytes(name: str) -> bytes:
    found = finders.find(name)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found).read_bytes()
    from django.contrib.staticfiles.storage import staticfiles_storage

    with staticfiles_storage.open(name) as file:
        return bytes(file.read())


@functools.cache
def _service_worker_source() -> str:
    """The worker with its settings in front; the version is a hash of the
    worker and the files it keeps, so a deploy that changes one of them
    installs a new worker that drops the old cache."""
    code = _static_bytes(SERVICE_WORKER)
    digest = hashlib.sha256(code)
    for name in PRECACHED_STATIC:
        digest.update(_static_bytes(name))
    config = {
        "version": digest.hexdigest()[:16],
        "offlineUrl": reverse("notifications:offline"),
        "staticUrl": settings.STATIC_URL,
        "precache": [static(name) for name in PRECACHED_STATIC],
        "icon": static("icons/icon-192.png"),
    }
    return f"self.SAMENSPRAAK_SW = {json.dumps(config)};\n{code.decode()}"


@require_GET
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """``/sw.js`` at the root: a worker's scope is at most its own folder."""
    if settings.DEBUG:
        _service_worker_source.cache_clear()
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_view(request: HttpRequest) -> HttpResponse:
    """The page the service worker keeps. Rendered without the request: no
    person, no organisation, no CSRF token, nothing from the database."""
    return HttpResponse(render_to_string("notifications/offline.html"))
