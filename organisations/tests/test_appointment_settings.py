"""The organisation admin sets the appointment rules and, optionally, the
organisation's own Jitsi server for video calls."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Personas, client_for
from organisations.models import Organisation

URL = "/beheer/organisatie/"


def appointment_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "formulier": "afspraken",
        "appointment_change_deadline_hours": "48",
        "appointment_reminder_hours": "2",
        "jitsi_base_url": "https://meet.rivierstad.nl/",
    }
    data.update(overrides)
    return data


def _settings(organisation: Organisation) -> tuple[int, int, str]:
    organisation.refresh_from_db()
    return (
        organisation.appointment_change_deadline_hours,
        organisation.appointment_reminder_hours,
        organisation.jitsi_base_url,
    )


def test_the_admin_sees_the_appointment_settings(personas: Personas) -> None:
    content = client_for(personas.admin).get(URL).content.decode()

    assert "Afspraken en beeldbellen" in content
    assert "Eigen Jitsi-server voor beeldbellen (niet verplicht)" in content
    assert 'name="formulier" value="afspraken"' in content


def test_the_admin_saves_hours_and_a_jitsi_server(personas: Personas) -> None:
    response = client_for(personas.admin).post(URL, appointment_form())

    assert response.status_code == 302
    assert _settings(personas.organisation) == (48, 2, "https://meet.rivierstad.nl")


def test_an_empty_jitsi_address_means_the_built_in_call(personas: Personas) -> None:
    client = client_for(personas.admin)
    client.post(URL, appointment_form())

    client.post(URL, appointment_form(jitsi_base_url=""))

    assert _settings(personas.organisation)[2] == ""


@pytest.mark.parametrize(
    "address",
    [
        "http://meet.rivierstad.nl",
        "ftp://meet.rivierstad.nl",
        "javascript:alert(1)",
        "https://user:secret@meet.rivierstad.nl",
        "https://meet.rivierstad.nl/?room=x",
        "https://meet.rivierstad.nl/#x",
        "geen adres",
    ],
)
def test_only_a_plain_https_address_is_accepted(personas: Personas, address: str) -> None:
    before = _settings(personas.organisation)

    response = client_for(personas.admin).post(URL, appointment_form(jitsi_base_url=address))

    assert response.status_code == 200
    assert "Er ging iets mis" in response.content.decode()
    assert _settings(personas.organisation) == before


@pytest.mark.parametrize(
    ("field", "value"), [("appointment_reminder_hours", "169"), ("appointment_change_deadline_hours", "-1")]
)
def test_hours_stay_between_0_and_a_week(personas: Personas, field: str, value: str) -> None:
    before = _settings(personas.organisation)

    response = client_for(personas.admin).post(URL, appointment_form(**{field: value}))

    assert response.status_code == 200
    assert _settings(personas.organisation) == before


def test_saving_the_appointment_settings_leaves_the_branding_alone(personas: Personas) -> None:
    organisation = personas.organisation
    name, colour = organisation.name, organisation.brand_colour

    client_for(personas.admin).post(URL, appointment_form())

    organisation.refresh_from_db()
    assert (organisation.name, organisation.brand_colour) == (name, colour)


@pytest.mark.parametrize("role", ["worker", "team_lead", "resident", "foreign_admin"])
def test_nobody_else_changes_another_organisations_appointment_settings(personas: Personas, role: str) -> None:
    before = _settings(personas.organisation)

    client_for(getattr(personas, role)).post(URL, appointment_form())

    assert _settings(personas.organisation) == before
