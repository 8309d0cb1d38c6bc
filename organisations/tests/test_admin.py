"""Organisation admins manage teams, locations and accounts; the rules that
keep them from locking themselves out or changing what an account is."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Role, User
from conftest import Personas, client_for
from organisations.models import CaseloadAssignment, Location, Team


def account_state(user: User) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (user.first_name, user.last_name, user.role, user.team_id, user.is_active)


def account_form(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "team": str(user.team.public_id) if user.team else "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


# --- Teams ------------------------------------------------------------------------


def test_admin_creates_a_team(personas: Personas) -> None:
    response = client_for(personas.admin).post("/beheer/teams/", {"name": "Team Zuid"})

    assert response.status_code == 302
    assert Team.objects.filter(organisation=personas.organisation, name="Team Zuid").exists()


@pytest.mark.parametrize("name", ["Team Noord", "team noord", "TEAM NOORD"])
def test_duplicate_team_name_is_refused_and_nothing_is_saved(personas: Personas, name: str) -> None:
    teams_before = list(Team.objects.values_list("pk", "name"))

    response = client_for(personas.admin).post("/beheer/teams/", {"name": name})

    assert response.status_code == 200
    assert "Deze naam bestaat al. Kies een andere naam." in response.content.decode()
    assert list(Team.objects.values_list("pk", "name")) == teams_before


def test_same_team_name_is_fine_in_another_organisation(personas: Personas) -> None:
    response = client_for(personas.foreign_admin).post("/beheer/teams/", {"name": "Team Zuid"})
    client_for(personas.admin).post("/beheer/teams/", {"name": "Team Zuid"})

    assert response.status_code == 302
    assert Team.objects.filter(name="Team Zuid").count() == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("<script>alert(1)</script>", "Gebruik geen &lt; of &gt; in deze tekst."),
        ("Team\u202eZuid", "Deze tekst bevat onzichtbare of speciale tekens."),
        ("Team\u200bZuid", "Deze tekst bevat onzichtbare of speciale tekens."),
        ("Team\x00Zuid", "Deze tekst bevat onzichtbare of speciale tekens."),
        ("x" * 1000, "Zorg dat deze waarde niet meer dan 120 tekens bevat"),
    ],
    ids=["script", "rtl-override", "zero-width", "nul-byte", "very-long"],
)
def test_hostile_team_name_is_refused_with_a_dutch_message(personas: Personas, name: str, message: str) -> None:
    teams_before = Team.objects.count()

    response = client_for(personas.admin).post("/beheer/teams/", {"name": name})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Team.objects.count() == teams_before


def test_renaming_a_team_to_an_existing_name_is_refused(personas: Personas) -> None:
    centrum, noord = personas.demo.teams

    response = client_for(personas.admin).post(f"/beheer/teams/{centrum.public_id}/", {"name": noord.name})

    assert response.status_code == 200
    assert "Deze naam bestaat al." in response.content.decode()
    centrum.refresh_from_db()
    assert centrum.name == "Team Centrum"


def test_admin_cannot_rename_a_team_of_another_organisation(personas: Personas) -> None:
    foreign_team = Team.objects.filter(organisation=personas.foreign_organisation).first()
    assert foreign_team is not None

    response = client_for(personas.admin).post(f"/beheer/teams/{foreign_team.public_id}/", {"name": "Overgenomen"})

    assert response.status_code == 404
    foreign_team.refresh_from_db()
    assert foreign_team.name != "Overgenomen"


def test_worker_cannot_create_a_team(personas: Personas) -> None:
    teams_before = Team.objects.count()

    response = client_for(personas.worker).post("/beheer/teams/", {"name": "Team Zuid"})

    assert response.status_code == 403
    assert Team.objects.count() == teams_before


# --- Locations --------------------------------------------------------------------


def location_form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Wijkcentrum Oost",
        "street": "Dorpsstraat 3",
        "postcode": "3012 cd",
        "city": "Rivierstad",
        "phone": "010 765 43 21",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_location_and_the_postcode_is_tidied(personas: Personas) -> None:
    response = client_for(personas.admin).post("/beheer/locaties/nieuw/", location_form())

    assert response.status_code == 302
    location = Location.objects.get(name="Wijkcentrum Oost")
    assert location.organisation == personas.organisation
    assert location.postcode == "3012 CD"


@pytest.mark.parametrize("postcode", ["0123 AB", "12345", "1234 ABC", "ABCD 12", "1234-AB", "<b>1234AB</b>"])
def test_location_with_a_bad_postcode_is_refused_and_nothing_is_saved(personas: Personas, postcode: str) -> None:
    locations_before = list(Location.objects.values_list("pk", "name", "postcode"))

    response = client_for(personas.admin).post("/beheer/locaties/nieuw/", location_form(postcode=postcode))

    assert response.status_code == 200
    assert "Vul een postcode in zoals 1234 AB." in response.content.decode()
    assert list(Location.objects.values_list("pk", "name", "postcode")) == locations_before


def test_changing_a_location_to_a_bad_postcode_keeps_the_old_one(personas: Personas) -> None:
    location = personas.demo.location

    response = client_for(personas.admin).post(
        f"/beheer/locaties/{location.public_id}/", location_form(name=location.name, postcode="99")
    )

    assert response.status_code == 200
    location.refresh_from_db()
    assert location.postcode == "3011 AB"
    assert location.street == "Kerkstraat 12"


def test_duplicate_location_name_is_refused(personas: Personas) -> None:
    locations_before = Location.objects.count()

    response = client_for(personas.admin).post("/beheer/locaties/nieuw/", location_form(name="buurthuis de brug"))

    assert response.status_code == 200
    assert "Deze naam bestaat al." in response.content.decode()
    assert Location.objects.count() == locations_before


# --- Accounts ---------------------------------------------------------------------


def test_admin_changes_a_colleagues_team_and_role(personas: Personas) -> None:
    noord = personas.demo.teams[1]
    url = f"/beheer/gebruikers/{personas.worker.public_id}/"

    response = client_for(personas.admin).post(
        url, account_form(personas.worker, role=Role.TEAM_LEAD, team=str(noord.public_id))
    )

    assert response.status_code == 302
    personas.worker.refresh_from_db()
    assert personas.worker.role == Role.TEAM_LEAD
    assert personas.worker.team == noord


def test_admin_cannot_change_their_own_role(personas: Personas) -> None:
    before = account_state(personas.admin)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.admin.public_id}/", account_form(personas.admin, role=Role.SOCIAL_WORKER)
    )

    assert response.status_code == 200
    assert "U kunt uw eigen rol niet wijzigen en uzelf niet blokkeren." in response.content.decode()
    assert account_state(personas.admin) == before


def test_admin_cannot_deactivate_themselves(personas: Personas) -> None:
    before = account_state(personas.admin)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.admin.public_id}/", account_form(personas.admin, is_active="")
    )

    assert response.status_code == 200
    assert "U kunt uw eigen rol niet wijzigen en uzelf niet blokkeren." in response.content.decode()
    assert account_state(personas.admin) == before


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ORGANISATION_ADMIN, Role.PLATFORM_ADMIN])
def test_admin_cannot_turn_a_resident_into_staff(personas: Personas, role: str) -> None:
    before = account_state(personas.resident)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/", account_form(personas.resident, role=role)
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze." in response.content.decode()
    assert account_state(personas.resident) == before


def test_admin_cannot_turn_staff_into_a_resident(personas: Personas) -> None:
    before = account_state(personas.worker)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.worker.public_id}/", account_form(personas.worker, role=Role.RESIDENT)
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze." in response.content.decode()
    assert account_state(personas.worker) == before


def test_admin_cannot_put_a_colleague_in_a_team_of_another_organisation(personas: Personas) -> None:
    foreign_team = Team.objects.filter(organisation=personas.foreign_organisation).first()
    assert foreign_team is not None
    before = account_state(personas.worker)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.worker.public_id}/",
        account_form(personas.worker, team=str(foreign_team.public_id)),
    )

    assert response.status_code == 200
    assert account_state(personas.worker) == before


def test_admin_cannot_edit_an_account_of_another_organisation(personas: Personas) -> None:
    before = account_state(personas.foreign_worker)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.foreign_worker.public_id}/",
        account_form(personas.foreign_worker, first_name="Gekaapt"),
    )

    assert response.status_code == 404
    assert account_state(personas.foreign_worker) == before


def test_admin_cannot_open_an_invited_account_before_its_invitation_is_used(
    personas: Personas,
) -> None:
    invited = User.objects.create(
        username="pending-x",
        first_name="Gerda",
        last_name="Zonneveld",
        role=Role.RESIDENT,
        organisation=personas.organisation,
        is_active=False,
        password="!",
    )

    client_for(personas.admin).post(f"/beheer/gebruikers/{invited.public_id}/", account_form(invited, is_active="on"))

    invited.refresh_from_db()
    assert not invited.is_active


def test_worker_cannot_edit_accounts(personas: Personas) -> None:
    before = account_state(personas.other_worker)

    response = client_for(personas.worker).post(
        f"/beheer/gebruikers/{personas.other_worker.public_id}/", account_form(personas.other_worker, is_active="")
    )

    assert response.status_code == 403
    assert account_state(personas.other_worker) == before


# --- Caseload assignments -----------------------------------------------------------


def workers_of(resident: User) -> set[int]:
    return set(CaseloadAssignment.objects.filter(resident=resident).values_list("worker_id", flat=True))


def test_admin_assigns_a_second_worker_to_a_resident(personas: Personas) -> None:
    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/koppelen/",
        {"worker": str(personas.other_worker.public_id)},
    )

    assert response.status_code == 302
    assert workers_of(personas.resident) == {personas.worker.pk, personas.other_worker.pk}


def test_admin_unassigns_a_worker_when_another_remains(personas: Personas) -> None:
    CaseloadAssignment.objects.create(resident=personas.resident, worker=personas.other_worker)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/ontkoppelen/{personas.worker.public_id}/"
    )

    assert response.status_code == 302
    assert workers_of(personas.resident) == {personas.other_worker.pk}


def test_admin_cannot_remove_the_last_worker_of_a_resident(personas: Personas) -> None:
    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/ontkoppelen/{personas.worker.public_id}/", follow=True
    )

    assert response.status_code == 200
    assert "Een inwoner houdt altijd minstens één sociaal werker." in response.content.decode()
    assert workers_of(personas.resident) == {personas.worker.pk}


def test_admin_cannot_assign_a_worker_of_another_organisation(personas: Personas) -> None:
    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/koppelen/",
        {"worker": str(personas.foreign_worker.public_id)},
        follow=True,
    )

    assert response.status_code == 200
    assert "Kies een sociaal werker uit de lijst." in response.content.decode()
    assert workers_of(personas.resident) == {personas.worker.pk}


def test_admin_cannot_assign_a_non_caseworker(personas: Personas) -> None:
    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.resident.public_id}/koppelen/",
        {"worker": str(personas.privacy_officer.public_id)},
    )

    assert response.status_code == 302
    assert workers_of(personas.resident) == {personas.worker.pk}


def test_admin_cannot_assign_workers_to_a_resident_of_another_organisation(personas: Personas) -> None:
    before = workers_of(personas.foreign_resident)

    response = client_for(personas.admin).post(
        f"/beheer/gebruikers/{personas.foreign_resident.public_id}/koppelen/",
        {"worker": str(personas.worker.public_id)},
    )

    assert response.status_code == 404
    assert workers_of(personas.foreign_resident) == before


def test_worker_cannot_assign_themselves_to_a_resident(personas: Personas) -> None:
    response = client_for(personas.worker).post(
        f"/beheer/gebruikers/{personas.other_resident.public_id}/koppelen/",
        {"worker": str(personas.worker.public_id)},
    )

    assert response.status_code == 403
    assert workers_of(personas.other_resident) == {personas.other_worker.pk}
