"""No page with personal data is kept by a browser or proxy cache.

Every URL pattern of the authorization matrix is requested by every
signed-in role; each answer that is not a redirect to the sign-in page
(allowed, refused or not found alike) must say ``Cache-Control: no-store``. The matrix's objects, URL
arguments and expectations are imported from
``tests/test_authorization_matrix.py``, so a new page is covered here as
soon as it has a row there.
"""

from __future__ import annotations

from datetime import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Personas, client_for
from messaging import consultation
from messaging.consultation import hour_add
from organisations.services import organisation_update
from samenspraak.middleware import PUBLIC_URL_NAMES
from tests.test_authorization_matrix import EXPECTATIONS, LOGIN, ROLES, _a_small_png, _observed, casefile_objects

ALLOWED = (200, 302)
# The eleven personas of ``Personas.by_role`` but the anonymous visitor.
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _directives(response: object) -> set[str]:
    header = response.headers.get("Cache-Control", "")  # type: ignore[attr-defined]
    return {part.strip().split("=", 1)[0].lower() for part in header.split(",") if part.strip()}


PERSONAL_URL_NAMES = sorted(name for name in EXPECTATIONS if name not in PUBLIC_URL_NAMES)


@pytest.mark.parametrize("url_name", PERSONAL_URL_NAMES)
def test_every_page_for_a_signed_in_person_is_never_stored(url_name: str, personas: Personas) -> None:
    expect = EXPECTATIONS[url_name]
    organisation_update(
        organisation=personas.organisation,
        name=personas.organisation.name,
        brand_colour=personas.organisation.brand_colour,
        phone=personas.organisation.phone,
        logo=_a_small_png(),
    )
    personas.casefile = casefile_objects(personas)  # type: ignore[attr-defined]
    url = reverse(url_name, kwargs=expect.kwargs(personas))
    users = personas.by_role()
    stored: dict[str, str] = {}
    checked = 0
    for role in SIGNED_IN:
        cache.clear()
        with transaction.atomic():
            response = getattr(client_for(users[role]), expect.method)(url, data=expect.data)
            transaction.set_rollback(True)
        if _observed(response) == LOGIN:
            continue
        checked += expect.statuses[role] in ALLOWED
        if "no-store" not in _directives(response) or _directives(response) & {"public", "max-age", "s-maxage"}:
            stored[role] = f"{response.status_code} Cache-Control={response.headers.get('Cache-Control')!r}"
    assert not stored, f"{expect.method.upper()} {url} may be stored: {stored}"
    # Pages nobody signed in may use (a visitor's own, a token link) were
    # still checked for the 404 each role got.
    assert checked or not any(expect.statuses[role] in ALLOWED for role in SIGNED_IN)


def test_public_pages_stay_cacheable(personas: Personas) -> None:
    organisation_update(
        organisation=personas.organisation,
        name=personas.organisation.name,
        brand_colour=personas.organisation.brand_colour,
        phone=personas.organisation.phone,
        logo=_a_small_png(),
    )
    logo = client_for(personas.resident).get(
        reverse("organisations:logo", kwargs={"public_id": personas.organisation.public_id})
    )
    assert logo.status_code == 200
    assert logo.headers["Cache-Control"] == "public, max-age=86400"
    # The health check keeps its own header (never cached, for monitors).
    health = Client().get(reverse("health"))
    assert "Pragma" not in health.headers


def test_static_files_are_not_touched(db: None) -> None:
    response = Client().get("/static/css/samenspraak.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_the_consultation_visitor_pages_are_never_stored(personas: Personas) -> None:
    # An hour that is open all day, with the worker on duty.
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )
    visitor = Client()
    start_url = reverse("messaging:visit_start", kwargs={"code": personas.organisation.consultation_code})
    start = visitor.get(start_url)
    assert start.status_code == 200
    assert "no-store" in _directives(start)
    started = visitor.post(start_url, {"name": "Bezoeker"})
    assert consultation.VISIT_COOKIE in started.cookies
    assert "no-store" in _directives(started)
    for name in ("messaging:visit", "messaging:visit_since"):
        response = visitor.get(reverse(name))
        assert response.status_code == 200, name
        assert "no-store" in _directives(response), name
        assert response.headers["Pragma"] == "no-cache"


def test_the_new_messages_json_is_never_stored(personas: Personas) -> None:
    objects = casefile_objects(personas)
    response = client_for(personas.resident).get(
        reverse("messaging:since", kwargs={"public_id": objects["conversation"].public_id})
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert "no-store" in _directives(response)


def test_the_activation_page_is_never_stored() -> None:
    response = Client().get(reverse("accounts:activate"))
    assert response.status_code == 200
    assert "no-store" in _directives(response)


def test_a_view_that_asks_for_public_caching_of_a_personal_page_is_overruled(personas: Personas) -> None:
    from django.http import HttpResponse

    from samenspraak.middleware import response_no_store

    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=3600"
    response["Expires"] = "Thu, 01 Jan 2099 00:00:00 GMT"
    response_no_store(response)
    assert response["Cache-Control"] == "no-store"
    assert "Expires" not in response
    stricter = HttpResponse()
    stricter["Cache-Control"] = "private, no-store"
    response_no_store(stricter)
    assert stricter["Cache-Control"] == "private, no-store"
