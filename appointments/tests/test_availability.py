"""Workers set when they can be booked; the organisation sets closing days.
Times are Europe/Amsterdam wall-clock times, right across summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from appointments import services
from appointments.models import AvailabilityException, ClosingDay, WeeklyAvailability, WorkerBookingRules
from appointments.selectors import NonexistentLocalTime, local_moment, windows_on
from conftest import Personas, client_for
from organisations.models import Location

URL = "/werk/beschikbaarheid/"


def block_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "formulier": "tijd",
        "tijd-weekday": "1",
        "tijd-starts_at": "09:00",
        "tijd-ends_at": "12:00",
        "tijd-kinds": ["phone", "video"],
    }
    data.update(overrides)
    return data


def test_a_worker_adds_a_weekly_time_for_phone_and_video(personas: Personas) -> None:
    response = client_for(personas.worker).post(URL, block_form())

    assert response.status_code == 302
    block = WeeklyAvailability.objects.get(worker=personas.worker)
    assert (block.weekday, block.starts_at, block.ends_at) == (1, time(9), time(12))
    assert block.kinds == ["phone", "video"]
    assert block.location is None


def test_face_to_face_needs_a_location_of_the_own_organisation(personas: Personas) -> None:
    foreign_location = Location.objects.create(organisation=personas.foreign_organisation, name="Elders")
    client = client_for(personas.worker)

    missing = client.post(URL, block_form(**{"tijd-kinds": ["face_to_face"]}))
    foreign = client.post(
        URL, block_form(**{"tijd-kinds": ["face_to_face"], "tijd-location": str(foreign_location.public_id)})
    )
    own = client.post(
        URL, block_form(**{"tijd-kinds": ["face_to_face"], "tijd-location": str(personas.demo.location.public_id)})
    )

    assert "Kies een locatie voor gesprekken op een locatie." in missing.content.decode()
    assert foreign.status_code == 200  # not in the list of choices
    assert own.status_code == 302
    assert WeeklyAvailability.objects.get().location == personas.demo.location


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("12:00", "09:00", "De eindtijd moet na de begintijd liggen."),
        ("11:00", "13:00", "Dit overlapt met een tijd die u al hebt ingevuld."),
    ],
)
def test_impossible_or_overlapping_times_are_refused_and_nothing_is_saved(
    personas: Personas, starts: str, ends: str, message: str
) -> None:
    client = client_for(personas.worker)
    client.post(URL, block_form())
    response = client.post(URL, block_form(**{"tijd-starts_at": starts, "tijd-ends_at": ends}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert WeeklyAvailability.objects.count() == 1


@pytest.mark.parametrize("value", ["25:00", "not a time", "", "<script>", "09:00\x00"])
def test_malformed_times_give_a_form_error_not_a_server_error(personas: Personas, value: str) -> None:
    response = client_for(personas.worker).post(URL, block_form(**{"tijd-starts_at": value}))

    assert response.status_code == 200
    assert not WeeklyAvailability.objects.exists()


def test_a_worker_removes_only_their_own_times(personas: Personas) -> None:
    block = services.availability_add(
        worker=personas.worker, weekday=2, starts_at=time(9), ends_at=time(10), kinds=["phone"], location=None
    )

    denied = client_for(personas.other_worker).post(f"/werk/beschikbaarheid/{block.public_id}/verwijderen/")
    assert denied.status_code == 404
    assert WeeklyAvailability.objects.filter(pk=block.pk).exists()

    client_for(personas.worker).post(f"/werk/beschikbaarheid/{block.public_id}/verwijderen/")
    assert not WeeklyAvailability.objects.filter(pk=block.pk).exists()


def test_absence_removes_the_windows_of_those_days(personas: Personas) -> None:
    services.availability_add(
        worker=personas.worker, weekday=0, starts_at=time(9), ends_at=time(12), kinds=["phone"], location=None
    )
    monday = date(2026, 12, 7)
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False):
        assert len(windows_on(worker=personas.worker, day=monday)) == 1
        response = client_for(personas.worker).post(
            URL, {"formulier": "afwezig", "afwezig-first_day": "2026-12-07", "afwezig-last_day": "2026-12-11"}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/werk/beschikbaarheid/"
        assert AvailabilityException.objects.count() == 1
        assert windows_on(worker=personas.worker, day=monday) == []
        assert len(windows_on(worker=personas.worker, day=monday + timedelta(days=7))) == 1


def test_an_absence_in_the_past_or_backwards_is_refused(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False):
        client = client_for(personas.worker)  # signed in at the travelled-to moment
        past = client.post(
            URL, {"formulier": "afwezig", "afwezig-first_day": "2026-11-01", "afwezig-last_day": "2026-11-02"}
        )
        backwards = client.post(
            URL, {"formulier": "afwezig", "afwezig-first_day": "2026-12-10", "afwezig-last_day": "2026-12-09"}
        )
    assert "Deze periode is al voorbij." in past.content.decode()
    assert "De laatste dag ligt vóór de eerste dag." in backwards.content.decode()
    assert not AvailabilityException.objects.exists()


def test_booking_rules_are_kept_within_their_bounds(personas: Personas) -> None:
    client = client_for(personas.worker)
    ok = client.post(
        URL,
        {"formulier": "regels", "regels-slot_minutes": "60", "regels-buffer_minutes": "10", "regels-max_per_day": "5"},
    )
    too_much = client.post(
        URL,
        {"formulier": "regels", "regels-slot_minutes": "600", "regels-buffer_minutes": "10", "regels-max_per_day": "5"},
    )

    assert ok.status_code == 302
    assert too_much.status_code == 200
    rules = WorkerBookingRules.objects.get(worker=personas.worker)
    assert (rules.slot_minutes, rules.buffer_minutes, rules.max_per_day) == (60, 10, 5)


def test_the_admin_sets_closing_days_and_nobody_can_be_booked_then(personas: Personas) -> None:
    services.availability_add(
        worker=personas.worker, weekday=0, starts_at=time(9), ends_at=time(12), kinds=["phone"], location=None
    )
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=UTC), tick=False):
        response = client_for(personas.admin).post(
            "/beheer/sluitingsdagen/", {"day": "2026-12-28", "reason": "Tussen kerst en oud en nieuw"}
        )
        twice = client_for(personas.admin).post("/beheer/sluitingsdagen/", {"day": "2026-12-28"})
        past = client_for(personas.admin).post("/beheer/sluitingsdagen/", {"day": "2026-11-28"})
        assert windows_on(worker=personas.worker, day=date(2026, 12, 28)) == []
        assert windows_on(worker=personas.foreign_worker, day=date(2026, 12, 28)) == []
    assert response.status_code == 302
    assert "Deze dag staat er al in." in twice.content.decode()
    assert "Deze dag is al voorbij." in past.content.decode()
    assert ClosingDay.objects.count() == 1


def test_a_worker_cannot_set_closing_days(personas: Personas) -> None:
    response = client_for(personas.worker).post("/beheer/sluitingsdagen/", {"day": "2030-01-01"})
    assert response.status_code == 403
    assert not ClosingDay.objects.exists()


def test_weekly_times_keep_their_wall_clock_across_summer_time(personas: Personas) -> None:
    # Sunday 9:00 on the days summer time starts (29 March 2026) and ends
    # (25 October 2026): the same wall-clock time, a different UTC hour.
    services.availability_add(
        worker=personas.worker, weekday=6, starts_at=time(9), ends_at=time(11), kinds=["phone"], location=None
    )
    spring = windows_on(worker=personas.worker, day=date(2026, 3, 29))[0]
    autumn = windows_on(worker=personas.worker, day=date(2026, 10, 25))[0]
    winter = windows_on(worker=personas.worker, day=date(2026, 3, 22))[0]
    assert spring.starts.astimezone(UTC).hour == 7
    assert autumn.starts.astimezone(UTC).hour == 8
    assert winter.starts.astimezone(UTC).hour == 8
    assert timezone.localtime(spring.starts).time() == time(9)


def test_a_time_in_the_skipped_hour_does_not_exist(db: None) -> None:
    with pytest.raises(NonexistentLocalTime):
        local_moment(date(2026, 3, 29), time(2, 30))
    # The hour that happens twice in autumn is the first one (still summer time).
    assert local_moment(date(2026, 10, 25), time(2, 30)).astimezone(UTC).hour == 0
