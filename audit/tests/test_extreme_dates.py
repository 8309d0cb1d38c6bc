"""Searching the access log by a period off the calendar gets a message,
not a server error (9999-12-31 plus one day overflows)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import Personas, client_for


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2101-01-01"])
def test_a_period_off_the_calendar_gets_a_plain_message(personas: Personas, field: str, day: str) -> None:
    for url in (reverse("audit:access_log"), reverse("audit:access_log_export")):
        response = client_for(personas.privacy_officer).get(url, {field: day})
        assert response.status_code in (200, 400), url
    page = client_for(personas.privacy_officer).get(reverse("audit:access_log"), {field: day})
    assert "Kies een datum tussen 1 januari 1900 en 31 december 2100." in page.content.decode()
