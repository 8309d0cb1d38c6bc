"""The worker's day ("Vandaag"): what needs the worker, with counts, the
actions right there, every listed resident logged, and the same number of
queries for 5 and for 200 residents."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from appointments import booking, services
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import agree_all_kinds, confirmed_appointment
from audit.models import AccessLogEntry
from blend.models import BlendPlan
from casefiles.models import Case, CorrectionRequest
from conftest import Personas, client_for
from messaging.tests.helpers import direct_conversation, say
from organisations.models import CaseloadAssignment

pytestmark = pytest.mark.django_db

TODAY_URL = "/werk/vandaag/"


def _page(user: User) -> str:
    response = client_for(user).get(TODAY_URL)
    assert response.status_code == 200
    return response.content.decode()


def _awaiting_worker(personas: Personas) -> Appointment:
    """The resident booked a free time: it waits for the worker."""
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    services.booking_rules_set(worker=personas.worker, buffer_minutes=0, max_per_day=8, slot_minutes=60)
    for weekday in range(7):
        services.availability_add(
            worker=personas.worker, weekday=weekday, starts_at=time(8), ends_at=time(18), kinds=["video"], location=None
        )
    day = timezone.localdate() + timedelta(days=3)
    appointment = booking.appointment_book(
        resident=personas.resident, worker=personas.worker, kind="video", starts=f"{day.isoformat()}T10:00"
    )
    assert appointment.status == AppointmentStatus.AWAITING_WORKER
    return appointment


def test_an_empty_day_says_so_in_every_section(personas: Personas) -> None:
    page = _page(personas.worker)

    for text in (
        "Er wacht geen verzoek op u.",
        "U hebt alle berichten gelezen.",
        "U hebt vandaag geen afspraken.",
        "Er wacht niets in de dossiers.",
        "Deze week staan er geen evaluaties gepland.",
    ):
        assert text in page
    assert "Chatspreekuur: u hebt dienst" not in page


def test_the_day_shows_what_waits_with_counts_and_actions(personas: Personas) -> None:
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    awaiting = _awaiting_worker(personas)
    request = booking.appointment_request_send(
        resident=personas.resident, worker=personas.worker, kinds=["video"], weekdays=[1], parts_of_day=[], note=""
    )
    say(direct_conversation(personas.resident, personas.worker), personas.resident, "Kunt u mij terugbellen?")
    case = Case.objects.filter(resident=personas.resident).first() or Case.objects.create(
        resident=personas.resident, organisation=personas.organisation, opened_by=personas.worker
    )
    CorrectionRequest.objects.create(
        case=case,
        item_kind="note",
        item_public_id=uuid.uuid4(),
        requested_by=personas.resident,
        request_text="Mijn adres klopt niet.",
    )
    video = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="video")
    BlendPlan.objects.filter(resident=personas.resident).update(review_date=timezone.localdate())

    page = _page(personas.worker)

    assert "Verzoeken die op u wachten (2)" in page
    assert f'action="/afspraken/{awaiting.public_id}/bevestigen/"' in page
    assert f"?verzoek={request.public_id}" in page
    assert "Ongelezen gesprekken (1)" in page
    assert "1 nieuw bericht" in page
    assert "Correcties, reacties en documenten (1)" in page
    assert "1 correctieverzoek open" in page
    assert "Evaluaties deze week (1)" in page
    assert "Afspraken vandaag (1)" in page
    # The call opens 15 minutes before the start: this one is in 5 minutes.
    assert f'href="/afspraken/{video.public_id}/beeldbellen/"' in page
    # The menu says the same: requests, corrections and the review on "Vandaag".
    assert 'data-attention="requests_waiting casefiles_waiting reviews_due"' in page


def test_confirming_from_the_day_page_comes_back_to_the_day(personas: Personas) -> None:
    awaiting = _awaiting_worker(personas)
    client = client_for(personas.worker)

    response = client.post(f"/afspraken/{awaiting.public_id}/bevestigen/", {"terug": "vandaag"})

    assert response.status_code == 302
    assert response["Location"] == TODAY_URL
    awaiting.refresh_from_db()
    assert awaiting.status == AppointmentStatus.CONFIRMED
    assert "Er wacht geen verzoek op u." in client.get(TODAY_URL).content.decode()


def test_only_a_fixed_name_sends_the_worker_back(personas: Personas) -> None:
    awaiting = _awaiting_worker(personas)

    response = client_for(personas.worker).post(
        f"/afspraken/{awaiting.public_id}/bevestigen/", {"terug": "https://example.org/"}
    )

    assert response["Location"] == f"/afspraken/{awaiting.public_id}/"


def test_every_resident_on_the_page_is_logged_as_listed(personas: Personas) -> None:
    _awaiting_worker(personas)
    say(direct_conversation(personas.resident, personas.worker), personas.resident, "Hallo")
    before = AccessLogEntry.objects.filter(actor=personas.worker, subject=personas.resident, action="list").count()

    _page(personas.worker)

    after = AccessLogEntry.objects.filter(actor=personas.worker, subject=personas.resident, action="list").count()
    assert after > before


def test_a_resident_of_a_colleague_is_not_on_my_day(personas: Personas) -> None:
    # other_resident is on no caseload of this worker.
    say(direct_conversation(personas.other_resident, personas.other_worker), personas.other_resident, "Hoi")

    page = _page(personas.worker)

    assert personas.other_resident.full_name not in page


def _residents(personas: Personas, count: int, start: int) -> list[User]:
    residents = User.objects.bulk_create(
        User(
            username=f"dag-{start + n}",
            first_name="Inwoner",
            last_name=f"Nummer {start + n}",
            sort_name=f"nummer {start + n:04d}",
            role=Role.RESIDENT,
            organisation=personas.organisation,
        )
        for n in range(count)
    )
    CaseloadAssignment.objects.bulk_create(CaseloadAssignment(resident=r, worker=personas.worker) for r in residents)
    cases = Case.objects.bulk_create(
        Case(resident=r, organisation=personas.organisation, opened_by=personas.worker) for r in residents
    )
    CorrectionRequest.objects.bulk_create(
        CorrectionRequest(
            case=c, item_kind="note", item_public_id=uuid.uuid4(), requested_by=c.resident, request_text="Klopt niet"
        )
        for c in cases
    )
    BlendPlan.objects.bulk_create(BlendPlan(resident=r, review_date=timezone.localdate()) for r in residents)
    for resident in residents[:3]:
        say(direct_conversation(resident, personas.worker), resident, "Hallo")
    return residents


def _queries(user: User) -> list[str]:
    client = client_for(user)
    client.get(TODAY_URL)  # the first request writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(TODAY_URL)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_day_needs_the_same_queries_for_5_and_for_200_residents(personas: Personas) -> None:
    _residents(personas, 5, 0)
    five = _queries(personas.worker)

    _residents(personas, 195, 5)
    two_hundred = _queries(personas.worker)

    assert len(five) == len(two_hundred), "\n".join(q[:150] for q in two_hundred)
