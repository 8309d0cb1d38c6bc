"""In a real browser: ``window.samenspraakCall`` (the call page's hook for
tests, static/js/call.js) exists only when the page is a test or debug
build. The live server runs in this process, so ``override_settings``
reaches it."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from appointments.tests.factories import confirmed_appointment
from conftest import Personas
from tests.asgi_server import session_cookie
from tests.browser.helpers import check_page

HOOK_TYPE = "() => typeof window.samenspraakCall"


def _open_call_page(page: Page, site: str, personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    name, value = session_cookie(personas.resident).split("=", 1)
    page.context.add_cookies([{"name": name, "value": value, "url": site}])
    page.goto(f"{site}{reverse('appointments:call', args=[appointment.public_id])}")
    # call.js has run once the camera check is shown.
    expect(page.get_by_role("heading", name="Eerst uw camera en microfoon controleren")).to_be_visible()


def test_production_call_page_has_no_test_hook(page: Page, site: str, personas: Personas) -> None:
    with override_settings(DEBUG=False, TEST_HOOKS=False):
        _open_call_page(page, site, personas)
        check_page(page, "call-hooks-production")

        assert page.evaluate(HOOK_TYPE) == "undefined"


def test_test_build_call_page_has_the_test_hook(page: Page, site: str, personas: Personas) -> None:
    _open_call_page(page, site, personas)

    assert page.evaluate(HOOK_TYPE) == "object"
    assert page.evaluate("() => window.samenspraakCall.pc") is None
