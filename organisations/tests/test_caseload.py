"""The caseload: a worker sees their own residents, a team lead their team's."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AccessLogEntry
from conftest import Personas, client_for
from organisations.models import CaseloadAssignment

CASELOAD_URL = "/werk/"


def residents_on_caseload(personas: Personas, worker: User, count: int, *, prefix: str = "extra") -> list[User]:
    User.objects.bulk_create(
        User(
            username=f"{prefix}-{index}",
            first_name="Extra",
            last_name=f"Inwoner {index:03d}",
            role=Role.RESIDENT,
            organisation=personas.organisation,
            is_active=False,
            password="!",  # an unusable password: invited, not yet activated
        )
        for index in range(count)
    )
    residents = list(User.objects.filter(username__startswith=f"{prefix}-"))
    CaseloadAssignment.objects.bulk_create(CaseloadAssignment(resident=r, worker=worker) for r in residents)
    return residents


def test_worker_sees_only_residents_on_own_caseload(personas: Personas) -> None:
    response = client_for(personas.worker).get(CASELOAD_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert str(personas.resident.public_id) in content
    assert str(personas.other_resident.public_id) not in content
    assert str(personas.team_resident.public_id) not in content
    # The other organisation's demo residents have the same names: compare ids.
    assert str(personas.foreign_resident.public_id) not in content


def test_showing_the_caseload_is_logged_per_resident(personas: Personas) -> None:
    client_for(personas.worker).get(CASELOAD_URL)

    listed = AccessLogEntry.objects.filter(actor=personas.worker, action=AccessLogEntry.Action.LIST)
    assert list(listed.values_list("subject", flat=True)) == [personas.resident.pk]


def test_team_lead_sees_the_caseloads_of_their_team(personas: Personas) -> None:
    own_resident = personas.demo.residents[2]

    response = client_for(personas.team_lead).get(CASELOAD_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert str(personas.team_resident.public_id) in content
    assert str(own_resident.public_id) in content
    assert str(personas.resident.public_id) not in content
    assert str(personas.other_resident.public_id) not in content
    assert str(personas.foreign_resident.public_id) not in content


def test_worker_does_not_see_a_team_members_caseload(personas: Personas) -> None:
    # Sanne and Ruben share Team Centrum, but only a team lead sees the team.
    response = client_for(personas.worker).get(CASELOAD_URL)

    assert str(personas.other_resident.public_id) not in response.content.decode()


def test_caseload_search_stays_within_the_caseload(personas: Personas) -> None:
    response = client_for(personas.worker).get(CASELOAD_URL, {"zoek": personas.other_resident.first_name})

    assert response.status_code == 200
    assert str(personas.other_resident.public_id) not in response.content.decode()


def test_caseload_shows_invited_residents_as_invited(personas: Personas) -> None:
    invited = residents_on_caseload(personas, personas.worker, 1)[0]

    response = client_for(personas.worker).get(CASELOAD_URL, {"status": "invited"})

    content = response.content.decode()
    assert str(invited.public_id) in content
    assert "Uitgenodigd" in content
    assert str(personas.resident.public_id) not in content


@pytest.mark.parametrize("role", ["resident", "trusted_person", "organisation_admin", "privacy_officer", "researcher"])
def test_only_caseworkers_open_the_caseload(personas: Personas, role: str) -> None:
    response = client_for(personas.by_role()[role]).get(CASELOAD_URL)

    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.LIST).exists()


def test_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    response = client_for(None).get(CASELOAD_URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/werk/"


def caseload_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CASELOAD_URL)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_caseload_needs_the_same_number_of_queries_for_5_and_for_200_residents(personas: Personas) -> None:
    client = client_for(personas.worker)
    with time_machine.travel(timezone.now(), tick=False):
        residents_on_caseload(personas, personas.worker, 4, prefix="small")
        # The first request writes the session (activity, second step) and
        # starts the organisation's access-log chain; measure after it.
        client.get(CASELOAD_URL)
        small = caseload_queries(client)
        residents_on_caseload(personas, personas.worker, 195, prefix="large")
        assert CaseloadAssignment.objects.filter(worker=personas.worker).count() == 200
        large = caseload_queries(client)

    assert len(small) == len(large) == 19, "\n".join(large)
    # 1 session, 2 the signed-in user, 3 the staff member's second factor,
    # 4 count, 5 one page of residents, 6 their caseload assignments, 7 the
    # workers of those; the access-log entries for the page: 8 savepoint,
    # 9 chain lock, 10 one insert for all entries,
    # 11 chain update, 12 release; 13 the organisation for the layout;
    # 14-19 the menu's counts (samenspraak/attention.py): on duty in the
    # consultation hour, requests and appointments waiting (2), unread
    # conversations, case files with something new, reviews due.
