"""The call page offers its test hook (``data-test-hooks``, read by
static/js/call.js) only in test and debug builds, never in production."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from appointments.tests.factories import confirmed_appointment
from conftest import Personas, client_for


def _call_page(personas: Personas) -> str:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    response = client_for(personas.resident).get(reverse("appointments:call", args=[appointment.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@override_settings(DEBUG=False, TEST_HOOKS=False)
def test_production_call_page_has_no_test_hooks(personas: Personas) -> None:
    content = _call_page(personas)

    assert '<div id="beeldbellen" class="call">' in content
    assert "data-test-hooks" not in content


@override_settings(DEBUG=False, TEST_HOOKS=True)
def test_the_test_settings_turn_the_hooks_on(personas: Personas) -> None:
    assert '<div id="beeldbellen" class="call" data-test-hooks>' in _call_page(personas)


@override_settings(DEBUG=True, TEST_HOOKS=False)
def test_a_debug_build_has_the_hooks(personas: Personas) -> None:
    assert "data-test-hooks" in _call_page(personas)


def test_the_test_settings_have_test_hooks_on() -> None:
    from samenspraak import settings_test

    assert settings_test.TEST_HOOKS is True
