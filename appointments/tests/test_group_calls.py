"""Group video: who may enter the built-in room of an online group session,
when it is open, how many fit, and what the page and the session's page
show. The socket itself is tested in ``test_group_call_socket.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from appointments import group_calls
from appointments.group_calls import (
    MAX_PARTICIPANTS,
    group_call_enter,
    group_call_is_builtin,
    group_call_is_open,
    group_call_leave,
    group_call_member,
    group_call_name,
    group_call_still_in,
)
from appointments.models import GroupCallPresence, GroupSession
from appointments.sessions import (
    GroupSessionError,
    group_session_cancel,
    group_session_change,
    group_session_plan,
    session_sign_off,
)
from appointments.tests.factories import extra_residents, online_group_session
from audit.models import AccessLogEntry
from conftest import Personas, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(personas: Personas) -> GroupSession:
    return online_group_session(host=personas.worker, residents=[personas.resident])


def room_url(session: GroupSession) -> str:
    return f"/groepsbijeenkomsten/{session.public_id}/beeldbellen/"


def _move(session: GroupSession, *, starts_in: timedelta, minutes: int = 60) -> None:
    starts_at = timezone.now() + starts_in
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes)
    )
    session.refresh_from_db()


# --- Rules -------------------------------------------------------------------------------


def test_the_host_and_signed_up_residents_are_members_and_nobody_else(
    personas: Personas, session: GroupSession
) -> None:
    assert group_call_member(personas.worker, session)
    assert group_call_member(personas.resident, session)
    for outsider in ("other_resident", "team_lead", "other_worker", "trusted_person", "admin", "foreign_resident"):
        assert not group_call_member(getattr(personas, outsider), session), outsider


def test_a_resident_who_signed_off_is_no_member_any_more(personas: Personas, session: GroupSession) -> None:
    signup = session.signups.get(resident=personas.resident)
    session_sign_off(signup=signup, by=personas.resident)
    assert not group_call_member(personas.resident, session)


def test_the_room_is_open_from_a_quarter_before_until_half_an_hour_after(
    personas: Personas, session: GroupSession
) -> None:
    now = timezone.now()
    _move(session, starts_in=timedelta(minutes=15, seconds=5))
    assert not group_call_is_open(session, now)
    _move(session, starts_in=timedelta(minutes=14, seconds=55))
    assert group_call_is_open(session, now)
    _move(session, starts_in=timedelta(minutes=-60 - 29), minutes=60)
    assert group_call_is_open(session, now)
    _move(session, starts_in=timedelta(minutes=-60 - 31), minutes=60)
    assert not group_call_is_open(session, now)


def test_a_cancelled_session_has_no_open_room(personas: Personas, session: GroupSession) -> None:
    group_session_cancel(session=session, by=personas.worker, reason="Ziek")
    session.refresh_from_db()
    assert not group_call_is_open(session, timezone.now())


def test_up_to_six_places_use_the_built_in_room_more_use_jitsi(personas: Personas) -> None:
    small = online_group_session(host=personas.worker, residents=[], capacity=MAX_PARTICIPANTS)
    large = online_group_session(host=personas.worker, residents=[], capacity=MAX_PARTICIPANTS + 1)
    assert group_call_is_builtin(small)
    assert not group_call_is_builtin(large)


def test_residents_show_their_chosen_first_name_the_host_the_full_name(
    personas: Personas, session: GroupSession
) -> None:
    resident = personas.resident
    User.objects.filter(pk=resident.pk).update(preferred_name="Fati")
    resident.refresh_from_db()
    assert group_call_name(resident, session) == "Fati"
    assert group_call_name(personas.worker, session) == personas.worker.full_name


# --- Presence: six fit, the seventh does not ----------------------------------------------


def test_six_people_fit_the_seventh_hears_the_room_is_full(personas: Personas) -> None:
    residents = extra_residents(personas.resident, 6)
    session = online_group_session(host=personas.worker, residents=residents)
    people = [personas.worker, *residents]
    for index, person in enumerate(people[:MAX_PARTICIPANTS]):
        entered = group_call_enter(session=session, user=person, peer_id=f"peer{index:012d}", channel_name=f"c{index}")
        assert entered is not None
        others, older = entered
        assert len(others) == index and older == []
    assert group_call_enter(session=session, user=people[6], peer_id="peer-seventh-0000", channel_name="c6") is None
    # Someone leaves: now there is room.
    group_call_leave(peer_id="peer000000000001")
    assert group_call_enter(session=session, user=people[6], peer_id="peer-seventh-0000", channel_name="c6")


def test_a_second_tab_replaces_the_first_and_a_dead_socket_stops_counting(
    personas: Personas, session: GroupSession
) -> None:
    first = group_call_enter(session=session, user=personas.resident, peer_id="tab-one-000000", channel_name="one")
    assert first == ([], [])
    second = group_call_enter(session=session, user=personas.resident, peer_id="tab-two-000000", channel_name="two")
    assert second == ([], ["one"])
    assert not group_call_still_in(peer_id="tab-one-000000")
    assert group_call_still_in(peer_id="tab-two-000000")
    # A socket that died without closing: not seen for longer than the limit.
    GroupCallPresence.objects.filter(peer_id="tab-two-000000").update(
        seen_at=timezone.now() - group_calls.PRESENCE_STALE - timedelta(seconds=1)
    )
    entered = group_call_enter(session=session, user=personas.worker, peer_id="host-0000000000", channel_name="h")
    assert entered == ([], [])
    assert not GroupCallPresence.objects.filter(peer_id="tab-two-000000").exists()


def test_entering_logs_a_read_of_each_resident_met(personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident, personas.other_resident])
    group_call_enter(session=session, user=personas.resident, peer_id="resident-000000", channel_name="r")
    group_call_enter(session=session, user=personas.worker, peer_id="host-0000000000", channel_name="h")
    group_call_enter(session=session, user=personas.other_resident, peer_id="other-000000000", channel_name="o")
    entries = AccessLogEntry.objects.filter(object_type="group_session_signup", action="view")
    seen = {(entry.actor_id, entry.subject_id) for entry in entries}
    assert seen == {
        (personas.resident.pk, personas.resident.pk),
        (personas.worker.pk, personas.resident.pk),
        (personas.other_resident.pk, personas.resident.pk),
        (personas.other_resident.pk, personas.other_resident.pk),
    }


# --- The page ---------------------------------------------------------------------------


def test_the_host_and_a_signed_up_resident_get_the_room(personas: Personas, session: GroupSession) -> None:
    for person in (personas.resident, personas.worker):
        response = client_for(person).get(room_url(session))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ik luister alleen" in page
        assert "Deze berichten worden niet bewaard." in page
        assert f"/ws/groepsbellen/{session.public_id}/" in page


@pytest.mark.parametrize(
    "outsider", ["other_resident", "team_lead", "other_worker", "trusted_person", "admin", "foreign_worker"]
)
def test_anyone_else_gets_404(personas: Personas, session: GroupSession, outsider: str) -> None:
    assert client_for(getattr(personas, outsider)).get(room_url(session)).status_code == 404


def test_too_early_says_from_when_in_plain_dutch(personas: Personas, session: GroupSession) -> None:
    _move(session, starts_in=timedelta(hours=2))
    page = client_for(personas.resident).get(room_url(session)).content.decode()
    opens = timezone.localtime(session.starts_at - timedelta(minutes=15)).strftime("%H:%M")
    assert f"U kunt vanaf {opens} uur binnenkomen." in page or f"vanaf {opens} uur binnenkomen" in page
    assert "groepsbellen-config" not in page


def test_after_the_end_and_when_cancelled_the_room_is_closed(personas: Personas, session: GroupSession) -> None:
    _move(session, starts_in=timedelta(hours=-3))
    assert "Deze online bijeenkomst is voorbij." in client_for(personas.worker).get(room_url(session)).content.decode()
    _move(session, starts_in=timedelta(minutes=10))
    group_session_cancel(session=session, by=personas.worker, reason="Ziek")
    page = client_for(personas.worker).get(room_url(session)).content.decode()
    assert "Deze bijeenkomst is afgezegd." in page


def test_a_larger_session_goes_to_its_page_with_the_jitsi_link(personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident], capacity=12)
    response = client_for(personas.resident).get(room_url(session))
    assert response.status_code == 302
    assert response["Location"] == f"/groepsbijeenkomsten/{session.public_id}/"
    detail = client_for(personas.resident).get(response["Location"]).content.decode()
    assert f"https://meet.example.nl/{session.video_room}" in detail


def test_the_session_page_links_to_the_built_in_room(personas: Personas, session: GroupSession) -> None:
    for person in (personas.resident, personas.worker):
        page = client_for(person).get(f"/groepsbijeenkomsten/{session.public_id}/").content.decode()
        assert f'href="{room_url(session)}"' in page
        assert "meet.example.nl" not in page


def test_the_room_page_takes_a_constant_number_of_queries(personas: Personas) -> None:
    small = online_group_session(host=personas.worker, residents=[personas.resident])
    larger = online_group_session(
        host=personas.worker, residents=[personas.resident, *extra_residents(personas.resident, 5)]
    )
    client = client_for(personas.resident)
    client.get(room_url(small))  # the first request of a session writes more
    counts = []
    for session in (small, larger):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(room_url(session)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print(f"room page: {counts[0]} queries")


def test_without_jitsi_an_online_session_of_up_to_six_places_uses_the_built_in_room(personas: Personas) -> None:
    assert not personas.organisation.jitsi_base_url
    starts_at = timezone.now() + timedelta(days=2)
    arguments: dict[str, Any] = {
        "host": personas.worker,
        "title": "Samen sterk",
        "description": "",
        "kind": "online",
        "location": None,
        "starts_at": starts_at,
        "minutes": 60,
    }
    session = group_session_plan(**arguments, capacity=MAX_PARTICIPANTS)
    assert group_call_is_builtin(session) and session.video_room
    with pytest.raises(GroupSessionError, match="meer dan 6 plaatsen"):
        group_session_plan(**arguments, capacity=MAX_PARTICIPANTS + 1)
    with pytest.raises(GroupSessionError, match="meer dan 6 plaatsen"):
        group_session_change(
            session=session, by=personas.worker, starts_at=starts_at, minutes=60, location=None, capacity=7
        )
