"""Small builders for appointment tests: real services, no shortcuts
around the rules they test."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from appointments import booking
from appointments.models import Appointment, GroupSession
from blend.services import blend_plan_save
from samenspraak.policy import organisation_id_of

ALL_KINDS = {"face_to_face", "home_visit", "phone", "video", "chat"}


def agree_all_kinds(*, resident: User, worker: User) -> None:
    """A blend plan with every kind of appointment, and consent for the online ones."""
    blend_plan_save(
        resident=resident,
        saved_by=worker,
        review_date=None,
        best_times="",
        preferred_channel="face_to_face",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=False,
        needs_help_of_relative=False,
        notes="",
        case_channels=set(ALL_KINDS),
        goal_channels={},
        consent_changes={"video": True, "chat": True},
    )


def confirmed_appointment(
    *, resident: User, worker: User, kind: str = "video", starts_at: datetime | None = None, minutes: int = 45
) -> Appointment:
    """Proposed by the worker and confirmed by the resident."""
    agree_all_kinds(resident=resident, worker=worker)
    starts_at = starts_at or timezone.now() + timedelta(minutes=5)
    location = None
    if kind == "face_to_face":
        from organisations.models import Location

        location = Location.objects.filter(
            organisation_id=organisation_id_of(worker)
        ).first() or Location.objects.create(
            organisation_id=organisation_id_of(worker), name="Buurthuis De Linde", street="Lindelaan 1", city="Utrecht"
        )
    appointment = booking.appointment_propose(
        worker=worker, resident=resident, kind=kind, starts_at=starts_at, minutes=minutes, location=location
    )
    return booking.appointment_confirm(appointment=appointment, by=resident)


def next_weekday(weekday: int, *, after_days: int = 1) -> datetime:
    """Local midnight of the next ``weekday`` at least ``after_days`` from today."""
    day = timezone.localdate() + timedelta(days=after_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def online_group_session(
    *, host: User, residents: list[User], capacity: int = 6, starts_at: datetime | None = None, minutes: int = 60
) -> GroupSession:
    """An online group session (the organisation gets a Jitsi address if it
    has none, as planning one needs it) with ``residents`` signed up; by
    default starting in ten minutes, so its video room is open."""
    from appointments.sessions import group_session_plan, session_sign_up
    from organisations.models import Organisation

    Organisation.objects.filter(pk=organisation_id_of(host), jitsi_base_url="").update(
        jitsi_base_url="https://meet.example.nl/"
    )
    host.refresh_from_db()
    session = group_session_plan(
        host=host,
        title="Samen sterk",
        description="",
        kind="online",
        location=None,
        starts_at=starts_at or timezone.now() + timedelta(minutes=10),
        minutes=minutes,
        capacity=capacity,
    )
    for resident in residents:
        session_sign_up(session=session, resident=resident)
    return session


def extra_residents(like: User, count: int) -> list[User]:
    """More residents of ``like``'s organisation, with a first name."""
    return [
        User.objects.create_user(
            username=f"groepslid{index}",
            first_name=f"Lid{index}",
            last_name="Groep",
            role="resident",
            organisation_id=like.organisation_id,
        )
        for index in range(count)
    ]
