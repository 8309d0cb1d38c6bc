"""Group sessions: a worker plans a training for a group, at a location or
online, with a number of places; residents of the organisation sign up and
off; the last place goes to exactly one resident; a cancellation reaches
everyone signed up without saying what it was about.

The clock stands still on Monday 2 March 2026, 10:00 in Amsterdam, unless
a test moves it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from appointments import sessions
from appointments.models import GroupSession, GroupSessionSignup
from appointments.sessions import GroupSessionError, group_session_plan, session_sign_up
from audit.models import AccessLogEntry
from casefiles.models import TimelineEvent
from conftest import Personas, client_for, run_queued_tasks
from organisations.models import Location
from tests.test_hostile_input import HOSTILE_VALUES, forms_on

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
LIST_URL = "/groepsbijeenkomsten/"
CREATE_URL = "/groepsbijeenkomsten/nieuw/"
JITSI = "https://meet.example.nl/"


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def detail_url(session: GroupSession, action: str = "") -> str:
    return f"/groepsbijeenkomsten/{session.public_id}/" + (f"{action}/" if action else "")


def plan(personas: Personas, *, host: User | None = None, **overrides: Any) -> GroupSession:
    arguments: dict[str, Any] = {
        "host": host or personas.worker,
        "title": "Training omgaan met geld",
        "description": "Wat doet u als de post zich opstapelt?",
        "kind": "face_to_face",
        "location": personas.demo.location,
        "starts_at": NOW + timedelta(days=7),
        "minutes": 90,
        "capacity": 12,
    }
    arguments.update(overrides)
    return group_session_plan(**arguments)


def more_residents(personas: Personas, count: int) -> list[User]:
    return [
        User.objects.create_user(
            username=f"deelnemer{index}",
            first_name="Deelnemer",
            last_name=str(index),
            role="resident",
            organisation=personas.organisation,
        )
        for index in range(count)
    ]


def form(personas: Personas, **overrides: str) -> dict[str, str]:
    data = {
        "title": "Koken met weinig geld",
        "description": "Samen koken en eten.",
        "kind": "face_to_face",
        "location": str(personas.demo.location.public_id),
        "day": "2026-03-12",
        "start_time": "19:30",
        "minutes": "120",
        "capacity": "8",
    }
    data.update(overrides)
    return data


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Planning ---------------------------------------------------------------------


def test_a_worker_plans_a_face_to_face_session_with_date_and_time_in_amsterdam(personas: Personas) -> None:
    response = client_for(personas.worker).post(CREATE_URL, form(personas), follow=True)

    session = GroupSession.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(session)
    assert "De groepsbijeenkomst is gepland." in response.content.decode()
    assert session.starts_at == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)  # 19:30 winter time
    assert session.ends_at - session.starts_at == timedelta(minutes=120)
    assert (session.host, session.location, session.capacity) == (personas.worker, personas.demo.location, 8)
    assert session.organisation == personas.organisation
    assert session.video_room == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day": "2026-03-01"}, "Deze tijd is al voorbij. Kies een tijd in de toekomst."),
        ({"location": ""}, "Kies een locatie voor een bijeenkomst op een locatie."),
        ({"capacity": "0"}, "Kies 1 tot 100 plaatsen."),
        ({"capacity": "101"}, "Kies 1 tot 100 plaatsen."),
        ({"minutes": "10"}, "Kies een duur van 15 tot 480 minuten."),
        ({"minutes": "481"}, "Kies een duur van 15 tot 480 minuten."),
        ({"title": ""}, "Geef de groepsbijeenkomst een titel."),
        ({"title": "Training\u202e"}, "Deze tekst bevat onzichtbare of speciale tekens."),
        ({"day": "31-02-2026"}, "Dit is geen datum."),
        ({"start_time": "25:00"}, "Dit is geen tijd."),
        ({"kind": "phone"}, "Kies of de bijeenkomst op een locatie is of online."),
        ({"day": "2027-03-12"}, "Deze datum ligt te ver vooruit."),
        # Summer time starts on Sunday 29 March 2026: 2:30 does not exist.
        (
            {"day": "2026-03-29", "start_time": "02:30"},
            "Deze tijd bestaat niet op 29 maart 2026: dan gaat de klok een uur vooruit.",
        ),
    ],
)
def test_bad_input_gives_a_dutch_message_and_stores_nothing(
    personas: Personas, overrides: dict[str, str], message: str
) -> None:
    response = client_for(personas.worker).post(CREATE_URL, form(personas, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupSession.objects.exists()


def test_online_needs_the_organisations_video_server(personas: Personas) -> None:
    client = client_for(personas.worker)
    refused = client.post(CREATE_URL, form(personas, kind="online", location=""))

    assert (
        "Online groepsbijeenkomsten met meer dan 6 plaatsen kunnen alleen als uw organisatie een eigen "
        "videoserver heeft." in refused.content.decode()
    )
    assert not GroupSession.objects.exists()

    personas.organisation.jitsi_base_url = JITSI
    personas.organisation.save(update_fields=["jitsi_base_url"])
    planned = client.post(CREATE_URL, form(personas, kind="online", location=""))

    assert planned.status_code == 302
    session = GroupSession.objects.get()
    assert session.kind == "online"
    assert session.location is None
    assert len(session.video_room) >= 32


def test_a_location_must_be_an_active_one_of_the_own_organisation(personas: Personas) -> None:
    foreign = Location.objects.create(organisation=personas.foreign_organisation, name="Elders")
    closed = Location.objects.create(organisation=personas.organisation, name="Oud buurthuis", is_active=False)

    for location in (foreign, closed):
        with pytest.raises(GroupSessionError, match="Kies een locatie van uw eigen organisatie"):
            plan(personas, location=location)
        page = client_for(personas.worker).post(CREATE_URL, form(personas, location=str(location.public_id)))
        assert "Kies een locatie uit de lijst." in page.content.decode()
    assert not GroupSession.objects.exists()


@pytest.mark.parametrize("role", ["resident", "trusted_person", "admin", "privacy_officer", "researcher"])
def test_only_casework_staff_plan_sessions(personas: Personas, role: str) -> None:
    user = getattr(personas, role)
    with pytest.raises(GroupSessionError, match="Alleen sociaal werkers en teamleiders"):
        plan(personas, host=user)

    response = client_for(user).post(CREATE_URL, form(personas))

    assert response.status_code == 403
    assert not GroupSession.objects.exists()


# --- Places -----------------------------------------------------------------------------


def test_residents_sign_up_until_the_session_is_full(personas: Personas) -> None:
    session = plan(personas, capacity=2)
    session_sign_up(session=session, resident=personas.resident)
    listing = client_for(personas.other_resident).get(LIST_URL).content.decode()
    assert "Nog 1 plaats" in listing

    client_for(personas.other_resident).post(detail_url(session, "aanmelden"))
    full = client_for(personas.team_resident).post(detail_url(session, "aanmelden"), follow=True)

    assert "Deze groepsbijeenkomst is vol." in messages_of(full)[0]
    assert "Vol" in client_for(personas.team_resident).get(LIST_URL).content.decode()
    assert set(GroupSessionSignup.objects.values_list("resident", flat=True)) == {
        personas.resident.pk,
        personas.other_resident.pk,
    }


def test_signing_off_frees_the_place_for_someone_else(personas: Personas) -> None:
    session = plan(personas, capacity=1)
    session_sign_up(session=session, resident=personas.resident)
    with pytest.raises(GroupSessionError, match="vol"):
        session_sign_up(session=session, resident=personas.other_resident)

    response = client_for(personas.resident).post(detail_url(session, "afmelden"), follow=True)
    session_sign_up(session=session, resident=personas.other_resident)

    assert "U bent afgemeld. Uw plaats is vrij voor iemand anders." in messages_of(response)
    signup = GroupSessionSignup.objects.get(resident=personas.resident)
    assert signup.cancelled_at == NOW
    assert GroupSessionSignup.objects.filter(cancelled_at__isnull=True).get().resident == personas.other_resident
    # Signing up again after signing off is allowed while there is a place.
    session.capacity = 2
    session.save(update_fields=["capacity"])
    session_sign_up(session=session, resident=personas.resident)


def test_a_resident_signs_up_once(personas: Personas) -> None:
    session = plan(personas)
    client = client_for(personas.resident)
    client.post(detail_url(session, "aanmelden"))
    twice = client.post(detail_url(session, "aanmelden"), follow=True)

    assert "U bent al aangemeld voor deze groepsbijeenkomst." in messages_of(twice)
    assert GroupSessionSignup.objects.count() == 1


def test_no_sign_up_or_sign_off_after_the_start_or_for_a_cancelled_session(
    personas: Personas, time_machine: Any
) -> None:
    started = plan(personas, starts_at=NOW + timedelta(hours=1))
    cancelled = plan(personas)
    signup = session_sign_up(session=started, resident=personas.resident)
    sessions.group_session_cancel(session=cancelled, by=personas.worker, reason="De trainer is ziek")

    with pytest.raises(GroupSessionError, match="gaat niet door"):
        session_sign_up(session=cancelled, resident=personas.resident)
    time_machine.move_to(NOW + timedelta(hours=1, minutes=5), tick=False)
    with pytest.raises(GroupSessionError, match=r"al begonnen\. Aanmelden kan niet meer"):
        session_sign_up(session=started, resident=personas.other_resident)
    with pytest.raises(GroupSessionError, match=r"al begonnen\. Afmelden kan niet meer"):
        sessions.session_sign_off(signup=signup, by=personas.resident)
    with pytest.raises(GroupSessionError, match="Alleen de inwoner zelf"):
        sessions.session_sign_off(signup=signup, by=personas.other_resident)
    assert GroupSessionSignup.objects.filter(cancelled_at__isnull=True).count() == 1


def test_a_foreign_resident_cannot_see_or_sign_up_for_a_session(personas: Personas) -> None:
    session = plan(personas)
    client = client_for(personas.foreign_resident)

    assert client.get(detail_url(session)).status_code == 404
    assert client.post(detail_url(session, "aanmelden")).status_code == 404
    assert "Training omgaan met geld" not in client.get(LIST_URL).content.decode()
    with pytest.raises(GroupSessionError, match="niet van uw organisatie"):
        session_sign_up(session=session, resident=personas.foreign_resident)
    assert not GroupSessionSignup.objects.exists()


def test_a_trusted_person_or_worker_cannot_sign_up_for_the_resident(personas: Personas) -> None:
    session = plan(personas)

    assert client_for(personas.trusted_person).post(detail_url(session, "aanmelden")).status_code == 404
    assert client_for(personas.worker).post(detail_url(session, "aanmelden")).status_code == 403
    with pytest.raises(GroupSessionError, match="Alleen inwoners"):
        session_sign_up(session=session, resident=personas.worker)
    assert not GroupSessionSignup.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_residents_taking_the_last_place_at_once_get_one_place(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = plan(personas, capacity=2)
    session_sign_up(session=session, resident=personas.other_resident)
    # Widen the window between counting and inserting: without the lock on
    # the session, both residents would count one free place and both insert.
    manager = GroupSessionSignup.objects
    create = manager.create

    def slow_create(**kwargs: Any) -> GroupSessionSignup:
        time.sleep(0.3)
        return create(**kwargs)

    monkeypatch.setattr(manager, "create", slow_create)
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def take_the_last_place(resident_id: int) -> None:
        try:
            resident = User.objects.get(pk=resident_id)
            session_copy = GroupSession.objects.get(pk=session.pk)
            start.wait(timeout=10)
            session_sign_up(session=session_copy, resident=resident)
            results[resident.username] = "signed up"
        except GroupSessionError as error:
            results[resident.username] = str(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=take_the_last_place, args=(resident.pk,))
        for resident in (personas.resident, personas.team_resident)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results.values()) == ["Deze groepsbijeenkomst is vol. Er zijn geen plaatsen meer.", "signed up"]
    assert GroupSessionSignup.objects.filter(session=session, cancelled_at__isnull=True).count() == 2


# --- Changing, cancelling, attendance -------------------------------------------------------


def test_a_change_keeps_at_least_the_places_taken_and_raises_the_sequence(personas: Personas) -> None:
    session = plan(personas, capacity=3)
    for resident in (personas.resident, personas.other_resident):
        session_sign_up(session=session, resident=resident)

    with pytest.raises(GroupSessionError, match=r"Er zijn al 2 inwoners aangemeld\. Kies minstens 2 plaatsen\."):
        sessions.group_session_change(
            session=session,
            by=personas.worker,
            starts_at=session.starts_at,
            minutes=90,
            location=session.location,
            capacity=1,
        )
    with pytest.raises(GroupSessionError, match="Alleen wie de groepsbijeenkomst leidt"):
        sessions.group_session_change(
            session=session,
            by=personas.other_worker,
            starts_at=session.starts_at,
            minutes=90,
            location=session.location,
            capacity=5,
        )
    changed = sessions.group_session_change(
        session=session,
        by=personas.worker,
        starts_at=session.starts_at + timedelta(days=1),
        minutes=60,
        location=session.location,
        capacity=2,
    )

    assert (changed.capacity, changed.sequence) == (2, 1)
    assert changed.ends_at - changed.starts_at == timedelta(minutes=60)
    assert TimelineEvent.objects.filter(kind="appointments.session_changed").count() == 2


def test_cancelling_tells_the_residents_without_saying_what_it_was(
    personas: Personas, mailoutbox: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    User.objects.filter(pk=personas.resident.pk).update(email="fatima@example.nl")
    User.objects.filter(pk=personas.other_resident.pk).update(email="other@example.nl")
    session = plan(personas)
    session_sign_up(session=session, resident=personas.resident)
    signed_off = session_sign_up(session=session, resident=personas.other_resident)
    sessions.session_sign_off(signup=signed_off, by=personas.other_resident)
    client = client_for(personas.worker)

    empty = client.post(detail_url(session, "afzeggen"), {"reason": ""})
    assert "Schrijf kort waarom de groepsbijeenkomst niet doorgaat." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(session, "afzeggen"), {"reason": "De trainer is ziek"}, follow=True)
    run_queued_tasks()

    assert "De groepsbijeenkomst is afgezegd." in messages_of(response)[0]
    session.refresh_from_db()
    assert (session.cancelled_at, session.cancel_reason, session.sequence) == (NOW, "De trainer is ziek", 1)
    assert [m.to for m in mailoutbox] == [["fatima@example.nl"]]  # not the one who signed off
    sent = mailoutbox[0]
    assert sent.subject == "Er is iets veranderd in een groepsbijeenkomst"
    assert "Er is iets veranderd in een groepsbijeenkomst. Kijk in Samenspraak." in sent.body
    for secret in ("Training", "geld", "ziek", "Buurthuis", "12 maart", "9 maart"):
        assert secret not in sent.subject + sent.body
    event = TimelineEvent.objects.get(resident=personas.resident, kind="appointments.session_cancelled")
    assert event.is_shared and event.actor == personas.worker
    assert event.summary.startswith("Groepsbijeenkomst afgezegd door de organisatie: Training omgaan met geld")
    assert AccessLogEntry.objects.filter(
        subject=personas.resident, object_type="group_session_signup", action="change", actor=personas.worker
    ).exists()
    # A resident sees it does not go ahead; it is gone from the list of what is planned.
    page = client_for(personas.resident).get(LIST_URL).content.decode()
    assert "Gaat niet door" in page
    assert page.count("Training omgaan met geld") == 1


def test_only_the_host_or_their_team_lead_cancels(personas: Personas, mailoutbox: list[Any]) -> None:
    session = plan(personas, host=personas.team_worker)
    session_sign_up(session=session, resident=personas.resident)

    for outsider in (personas.worker, personas.foreign_worker):
        assert client_for(outsider).post(detail_url(session, "afzeggen"), {"reason": "Weg"}).status_code == 404
    with pytest.raises(GroupSessionError, match="Alleen wie de groepsbijeenkomst leidt"):
        sessions.group_session_cancel(session=session, by=personas.worker, reason="Weg")
    session.refresh_from_db()
    assert session.cancelled_at is None

    response = client_for(personas.team_lead).post(detail_url(session, "afzeggen"), {"reason": "Zaal is dicht"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at == NOW


def test_attendance_is_recorded_by_the_host_only_after_the_start(personas: Personas, time_machine: Any) -> None:
    session = plan(personas, starts_at=NOW + timedelta(hours=2))
    came = session_sign_up(session=session, resident=personas.resident)
    stayed_away = session_sign_up(session=session, resident=personas.other_resident)
    early = client_for(personas.worker).post(
        detail_url(session, "aanwezigheid"), {"aanwezig": [str(came.public_id)]}, follow=True
    )
    assert "Wie er was, legt u vast vanaf het begin van de groepsbijeenkomst." in messages_of(early)
    assert not GroupSessionSignup.objects.filter(attended__isnull=False).exists()

    time_machine.move_to(NOW + timedelta(hours=2, minutes=10), tick=False)
    host, other = client_for(personas.worker), client_for(personas.other_worker)
    assert other.post(detail_url(session, "aanwezigheid"), {"aanwezig": [str(came.public_id)]}).status_code == 404
    page = host.get(detail_url(session)).content.decode()
    assert "Wie was er?" in page
    bad = host.post(detail_url(session, "aanwezigheid"), {"aanwezig": ["not-a-signup"]}, follow=True)
    assert "Kies alleen inwoners uit de lijst van aanmeldingen." in messages_of(bad)
    response = host.post(detail_url(session, "aanwezigheid"), {"aanwezig": [str(came.public_id)]}, follow=True)

    assert "Opgeslagen wie er was." in messages_of(response)
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert (came.attended, stayed_away.attended) == (True, False)
    changes = AccessLogEntry.objects.filter(object_type="group_session_signup", action="change", actor=personas.worker)
    assert changes.count() == 2
    missed = TimelineEvent.objects.get(resident=personas.other_resident, kind="appointments.session_attendance")
    assert not missed.is_shared


# --- Logging -------------------------------------------------------------------------------


def test_sign_up_and_sign_off_are_in_the_access_log_and_the_timeline(personas: Personas) -> None:
    session = plan(personas)
    client = client_for(personas.resident)
    client.post(detail_url(session, "aanmelden"))
    signup = GroupSessionSignup.objects.get()
    client.post(detail_url(session, "afmelden"))

    entries = AccessLogEntry.objects.filter(subject=personas.resident, object_type="group_session_signup")
    assert set(entries.values_list("action", "object_id", "actor")) >= {
        ("create", str(signup.public_id), personas.resident.pk),
        ("change", str(signup.public_id), personas.resident.pk),
    }
    kinds = list(
        TimelineEvent.objects.filter(resident=personas.resident, object_public_id=session.public_id)
        .order_by("pk")
        .values_list("kind", "is_shared")
    )
    assert kinds == [("appointments.session_signed_up", True), ("appointments.session_signed_off", True)]


def test_the_host_sees_who_signed_up_and_that_read_is_logged_per_resident(personas: Personas) -> None:
    session = plan(personas)
    for resident in (personas.resident, personas.other_resident):
        session_sign_up(session=session, resident=resident)

    host_page = client_for(personas.worker).get(detail_url(session)).content.decode()
    colleague_page = client_for(personas.other_worker).get(detail_url(session)).content.decode()

    assert personas.resident.full_name in host_page and personas.other_resident.full_name in host_page
    assert personas.resident.full_name not in colleague_page
    assert "2 van 12 plaatsen bezet" in colleague_page
    listed = AccessLogEntry.objects.filter(object_type="group_session_signup", action="list", actor=personas.worker)
    assert set(listed.values_list("subject", flat=True)) == {personas.resident.pk, personas.other_resident.pk}
    assert not AccessLogEntry.objects.filter(actor=personas.other_worker, object_type="group_session_signup").exists()


# --- The video room --------------------------------------------------------------------------


def test_the_video_link_is_for_those_signed_up_and_staff_from_a_quarter_before(
    personas: Personas, time_machine: Any
) -> None:
    personas.organisation.jitsi_base_url = JITSI
    personas.organisation.save(update_fields=["jitsi_base_url"])
    session = plan(personas, kind="online", location=None, starts_at=NOW + timedelta(hours=1))
    session_sign_up(session=session, resident=personas.resident)
    link = f"https://meet.example.nl/{session.video_room}"

    early = client_for(personas.resident).get(detail_url(session)).content.decode()
    assert link not in early
    assert "De link naar de online bijeenkomst staat hier vanaf 10:45 uur" in early

    time_machine.move_to(NOW + timedelta(minutes=46), tick=False)
    assert link in client_for(personas.resident).get(detail_url(session)).content.decode()
    assert link in client_for(personas.worker).get(detail_url(session)).content.decode()
    assert link not in client_for(personas.other_resident).get(detail_url(session)).content.decode()


# --- Hostile input --------------------------------------------------------------------------


def attack_session_forms(client: Client, path: str) -> None:
    """Post every hostile value in every field of each session form on the page."""
    page = client.get(path)
    forms = [
        (action, names)
        for method, action, names in forms_on(page.content.decode(), path)
        if method == "post" and action.startswith("/groepsbijeenkomsten/")
    ]
    assert forms, f"no session form on {path}"
    for action, names in forms:
        for value in HOSTILE_VALUES:
            response = client.post(action, dict.fromkeys(names, value))
            assert response.status_code < 500, f"{action} {value[:20]!r}"
        assert client.post(action, {name: ["a", "b"] for name in names}).status_code < 500


def test_hostile_input_in_every_session_form_gives_a_page_never_a_crash(personas: Personas, time_machine: Any) -> None:
    session = plan(personas, starts_at=NOW + timedelta(hours=1))
    session_sign_up(session=session, resident=personas.resident)
    attack_session_forms(client_for(personas.worker), CREATE_URL)
    attack_session_forms(client_for(personas.other_resident), detail_url(session))  # sign up
    attack_session_forms(client_for(personas.resident), detail_url(session))  # sign off
    time_machine.move_to(NOW + timedelta(hours=1, minutes=5), tick=False)
    attack_session_forms(client_for(personas.worker), detail_url(session))  # who came
    attack_session_forms(client_for(personas.worker), detail_url(session, "afzeggen"))  # last: it may cancel

    assert GroupSession.objects.count() == 1


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def test_the_list_needs_the_same_queries_for_1_and_for_20_sessions(personas: Personas) -> None:
    resident, worker = client_for(personas.resident), client_for(personas.worker)
    first = plan(personas)
    session_sign_up(session=first, resident=personas.resident)
    resident.get(LIST_URL)  # the first request writes the session and starts the log chain
    worker.get(LIST_URL)
    resident_small, worker_small = queries_for(resident, LIST_URL), queries_for(worker, LIST_URL)
    for index in range(19):
        session = plan(personas, title=f"Training {index}", starts_at=NOW + timedelta(days=index + 1))
        if index % 2:
            session_sign_up(session=session, resident=personas.resident)
    resident_large, worker_large = queries_for(resident, LIST_URL), queries_for(worker, LIST_URL)

    assert resident.get(LIST_URL).content.decode().count("Nog 12 plaatsen") == 10
    # Resident: 1 session, 2 the user, 3 the sessions with places taken and
    # their own sign-up, 4 their sign-ups; 5-9 the access-log entries for
    # those sign-ups (savepoint, chain lock, one insert,
    # chain update, release); 10 the organisation for the layout; 11-15 the
    # menu's counts (samenspraak/attention.py).
    assert len(resident_small) == len(resident_large) == 15, "\n".join(resident_large)
    # Worker: 1 session, 2 the user, 3 the second factor, 4 the sessions with
    # places taken, 5 the organisation for the layout, 6-11 the menu's counts.
    assert len(worker_small) == len(worker_large) == 11, "\n".join(worker_large)


def test_the_hosts_detail_page_needs_the_same_queries_for_1_and_for_20_sign_ups(personas: Personas) -> None:
    session = plan(personas, capacity=30)
    host = client_for(personas.worker)
    session_sign_up(session=session, resident=personas.resident)
    host.get(detail_url(session))
    small = queries_for(host, detail_url(session))
    for resident in more_residents(personas, 19):
        session_sign_up(session=session, resident=resident)
    large = queries_for(host, detail_url(session))

    assert "20 van 30 plaatsen bezet" in host.get(detail_url(session)).content.decode()
    # 1 session, 2 the user, 3 the second factor, 4 the group session with
    # host and location, 5 the places taken, 6 the sign-ups with residents;
    # 7-11 the access-log entries for the list (savepoint, chain
    # lock, one insert, chain update, release);
    # 12 the organisation.
    assert len(small) == len(large) == 18, "\n".join(large)


def test_the_host_changes_time_and_places_and_signed_up_residents_are_told(
    personas: Personas, mailoutbox: list[Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    personas.resident.email = "fatima@example.org"
    personas.resident.save(update_fields=["email"])
    session = _session_for_change(personas)
    sessions.session_sign_up(session=session, resident=personas.resident)
    mailoutbox.clear()
    new_day = (timezone.localtime(session.starts_at) + timedelta(days=1)).date()
    client = client_for(personas.worker)
    page = client.get(reverse("appointments:session_change", kwargs={"public_id": session.public_id}))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appointments:session_change", kwargs={"public_id": session.public_id}),
            {
                "location": str(personas.demo.location.public_id),
                "day": new_day.isoformat(),
                "start_time": "14:00",
                "minutes": "60",
                "capacity": "1",
            },
        )
    assert response.status_code == 302
    run_queued_tasks()
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == new_day
    assert session.capacity == 1
    assert len(mailoutbox) == 1 and session.title not in mailoutbox[0].body

    # Fewer places than sign-ups: a Dutch message, nothing changed.
    response = client.post(
        reverse("appointments:session_change", kwargs={"public_id": session.public_id}),
        {
            "location": str(personas.demo.location.public_id),
            "day": new_day.isoformat(),
            "start_time": "15:00",
            "minutes": "60",
            "capacity": "0",
        },
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).hour == 14


def _session_for_change(personas: Personas) -> GroupSession:
    return sessions.group_session_plan(
        host=personas.worker,
        title="Omgaan met geld",
        description="",
        kind="face_to_face",
        location=personas.demo.location,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=90,
        capacity=5,
    )
