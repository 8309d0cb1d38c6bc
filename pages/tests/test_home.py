"""``/`` sends everyone to the start page of their role."""

from __future__ import annotations

import pytest

from conftest import Personas, client_for

HOME_BY_ROLE = {
    "anonymous": "/accounts/login/",
    "resident": "/mijn/",
    "trusted_person": "/mijn/",
    "social_worker": "/werk/vandaag/",
    "team_lead": "/werk/vandaag/",
    "organisation_admin": "/beheer/",
    "privacy_officer": "/privacy/toegangslog/",
    "platform_admin": "/platform/",
    "foreign_worker": "/werk/vandaag/",
    "foreign_admin": "/beheer/",
}


@pytest.mark.parametrize(("role", "home"), HOME_BY_ROLE.items())
def test_home_redirects_to_the_start_page_of_the_role(personas: Personas, role: str, home: str) -> None:
    client = client_for(personas.by_role()[role])

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200


def test_researcher_gets_a_plain_welcome_without_data(personas: Personas) -> None:
    response = client_for(personas.researcher).get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Welkom Olaf" in content
    assert personas.resident.last_name not in content


def test_home_only_answers_get(personas: Personas) -> None:
    response = client_for(personas.resident).post("/")

    assert response.status_code == 405


def test_every_page_for_residents_and_visitors_carries_the_anti_phishing_line(personas: Personas) -> None:
    for user in (None, personas.resident, personas.trusted_person):
        response = client_for(user).get("/", follow=True)
        # The sign-in page says it in its own, larger notice instead.
        assert "Uw sociaal werker vraagt nooit om uw DigiD-code" in response.content.decode()


def test_staff_pages_leave_out_the_residents_anti_phishing_line(personas: Personas) -> None:
    response = client_for(personas.worker).get("/", follow=True)

    assert "DigiD" not in response.content.decode()
