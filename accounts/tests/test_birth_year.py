"""The resident's optional birth year: entered by the worker when inviting,
only the year, within a sensible range (for the benchmark's age bands)."""

from __future__ import annotations

import pytest
import time_machine

from accounts.models import User
from conftest import Personas, client_for

INVITE_URL = "/werk/inwoners/uitnodigen/"


def _form(**overrides: str) -> dict[str, str]:
    data = {"first_name": "Gerda", "last_name": "Zonneveld", "channel": "letter", "email": "", "phone": ""}
    data.update(overrides)
    return data


def test_worker_invites_resident_with_a_birth_year(personas: Personas) -> None:
    response = client_for(personas.worker).post(INVITE_URL, _form(birth_year="1958"))

    assert response.status_code == 302
    assert User.objects.get(last_name="Zonneveld").birth_year == 1958


def test_the_birth_year_may_stay_empty(personas: Personas) -> None:
    response = client_for(personas.worker).post(INVITE_URL, _form())

    assert response.status_code == 302
    assert User.objects.get(last_name="Zonneveld").birth_year is None


@time_machine.travel("2026-12-07 10:00 +01:00", tick=False)
@pytest.mark.parametrize(
    ("birth_year", "message"),
    [
        ("1899", "Vul een geboortejaar in tussen 1900 en 2014."),
        ("2015", "Vul een geboortejaar in tussen 1900 en 2014."),
        ("negentig", "Vul een jaartal in met vier cijfers, bijvoorbeeld 1960."),
    ],
)
def test_a_birth_year_out_of_range_is_refused_with_a_dutch_message(
    personas: Personas, birth_year: str, message: str
) -> None:
    response = client_for(personas.worker).post(INVITE_URL, _form(birth_year=birth_year))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(last_name="Zonneveld").exists()


def test_the_organisation_admin_sets_a_residents_birth_year(personas: Personas) -> None:
    resident = personas.resident
    url = f"/beheer/gebruikers/{resident.public_id}/"
    form = {"first_name": resident.first_name, "last_name": resident.last_name, "role": "resident", "is_active": "on"}

    response = client_for(personas.admin).post(url, {**form, "birth_year": "1971"})

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.birth_year == 1971
    assert "Geboortejaar" in client_for(personas.admin).get(url).content.decode()


def test_a_staff_account_has_no_birth_year_field(personas: Personas) -> None:
    response = client_for(personas.admin).get(f"/beheer/gebruikers/{personas.worker.public_id}/")

    assert "birth_year" not in response.content.decode()


def test_the_resident_sees_their_birth_year_and_why_we_ask_on_mijn_privacy(personas: Personas) -> None:
    User.objects.filter(pk=personas.resident.pk).update(birth_year=1964)

    page = client_for(personas.resident).get("/mijn/privacy/").content.decode()

    assert "Wij hebben uw geboortejaar: 1964." in page
    assert "Voor cijfers over wie online hulp gebruikt; nooit om u te herkennen." in page


def test_the_birth_year_is_in_the_residents_data_export(personas: Personas) -> None:
    from exports.parts import account_part

    User.objects.filter(pk=personas.resident.pk).update(birth_year=1964)
    personas.resident.refresh_from_db()

    assert account_part(personas.resident).rows[0]["geboortejaar"] == 1964
