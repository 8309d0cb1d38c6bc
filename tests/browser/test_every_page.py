"""axe-core on every GET page of the authorization matrix.

The URL list and the objects behind it come from the matrix
(``tests/test_authorization_matrix.py``), so a new page there is checked
here too. Each page is opened by the first persona the matrix lets see it
(status 200), residents and visitors at phone width (375 px), staff on a
desktop screen. One browser, one context per persona, signed in once with
a session cookie; all findings are collected and reported together.

Answers that are not HTML (a logo, a PDF, an ics file, JSON) have nothing
for axe to check; they are counted and listed with ``-s``.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, ViewportSize

from conftest import Personas
from organisations.services import organisation_update
from tests.asgi_server import session_cookie
from tests.browser.helpers import check_page
from tests.test_authorization_matrix import EXPECTATIONS, _a_small_png, casefile_objects

# Who opens a page: the first of these the matrix gives a 200.
PERSONA_ORDER = (
    "anonymous",
    "resident",
    "trusted_person",
    "social_worker",
    "team_lead",
    "organisation_admin",
    "privacy_officer",
    "researcher",
    "platform_admin",
)
PHONE_PERSONAS = frozenset({"anonymous", "resident", "trusted_person"})
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

# Pages the matrix has once but that look different per persona or view:
# the agenda's week view and a team lead's agenda, the call page of each side.
EXTRA_VIEWS = (
    ("appointments:agenda", "?weergave=week", "social_worker"),
    ("appointments:agenda", "", "team_lead"),
    ("appointments:call", "", "social_worker"),
)


@dataclass(frozen=True)
class Visit:
    url_name: str
    url: str
    persona: str

    @property
    def screenshot_name(self) -> str:
        slug = self.url_name.replace(":", "-").replace("_", "-")
        return f"every-page-{slug}-{self.persona.replace('_', '-')}"


def visits(personas: Personas) -> list[Visit]:
    found: list[Visit] = []
    for url_name, expect in sorted(EXPECTATIONS.items()):
        if expect.method != "get":
            continue
        persona = next((p for p in PERSONA_ORDER if expect.statuses.get(p) == 200), None)
        if persona is None:
            continue  # a redirect or a refusal for everyone: no page of its own
        found.append(Visit(url_name, reverse(url_name, kwargs=expect.kwargs(personas)), persona))
    for url_name, query, persona in EXTRA_VIEWS:
        url = reverse(url_name, kwargs=EXPECTATIONS[url_name].kwargs(personas)) + query
        found.append(Visit(url_name, url, persona))
    return found


def _context(browser: Browser, site: str, personas: Personas, persona: str) -> BrowserContext:
    context = browser.new_context(
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport=PHONE if persona in PHONE_PERSONAS else DESKTOP,
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    user = personas.by_role()[persona]
    if user is not None:
        # Signed in as with the matrix's client (second factor passed).
        name, value = session_cookie(user).split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": site}])
    return context


def _prepare(personas: Personas) -> None:
    """The matrix's objects, made as the matrix makes them."""
    try:
        organisation_update(
            organisation=personas.organisation,
            name=personas.organisation.name,
            brand_colour=personas.organisation.brand_colour,
            phone=personas.organisation.phone,
            logo=_a_small_png(),
        )
        personas.casefile = casefile_objects(personas)  # type: ignore[attr-defined]
    finally:
        connections.close_all()


def test_axe_finds_nothing_serious_on_any_page(browser: Browser, site: str, personas: Personas) -> None:
    started = time.monotonic()
    # In a thread of its own, away from Playwright's event loop: sending a
    # message publishes a real-time event (async_to_sync), which refuses to
    # run in a thread with a running loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_prepare, personas).result()
    planned = visits(personas)
    contexts: dict[str, BrowserContext] = {}
    checked: list[Visit] = []
    not_html: list[str] = []
    problems: list[str] = []
    try:
        for visit in planned:
            if visit.persona not in contexts:
                contexts[visit.persona] = _context(browser, site, personas, visit.persona)
            context = contexts[visit.persona]
            # Look before opening: a download or an image is not a page.
            answer = context.request.get(f"{site}{visit.url}", max_redirects=0)
            kind = answer.headers.get("content-type", "")
            if answer.status != 200:
                problems.append(f"{visit.url_name} ({visit.persona}) {visit.url}: status {answer.status}, expected 200")
                continue
            if not kind.startswith("text/html"):
                not_html.append(f"{visit.url_name} ({kind})")
                continue
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{site}{visit.url}")
            try:
                check_page(page, visit.screenshot_name)
            except pytest.fail.Exception as failure:
                problems.append(str(failure))
            checked.append(visit)
    finally:
        for context in contexts.values():
            context.close()
    seconds = time.monotonic() - started
    print(f"\naxe checked {len(checked)} pages as {len(contexts)} personas in {seconds:.0f} s")
    print(f"not HTML, not checked: {', '.join(not_html)}")
    assert not problems, "\n\n".join(problems)
    # The matrix has far more pages than this; a drop means pages went missing.
    assert len(checked) >= 60, [v.url_name for v in checked]
