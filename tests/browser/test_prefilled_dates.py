"""Every form that shows a stored date or time, saved unchanged, changes
nothing (issue 11, section 1).

Chromium drops a value in ``<input type="date">`` or ``<input type="time">``
that is not in the HTML format (yyyy-mm-dd, HH:MM): the Dutch 14-03-2026
made the field empty, and saving the blend plan erased the review date.
Here a worker, in a Dutch browser, opens each form with a stored date or
time, sees the value in the input, presses its button without typing, and
the database holds what it held before.

The forms with a date or time that only create (a goal's target date, a
step's due date, availability, absences, closing days, consultation hours,
a proposal) start empty and are not here: there is nothing to lose.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from appointments import booking, sessions
from appointments.models import Appointment, AppointmentNotice, AppointmentStatus, GroupSession
from blend.models import BlendAgreement, BlendPlan, ChannelConsent
from casefiles.demo import demo_casefile_create
from casefiles.models import TimelineEvent
from conftest import Personas
from notifications.models import NotificationPreference
from notifications.selectors import channels_available, events_for
from notifications.services import preference_set
from tests.browser.helpers import goto, sign_in_staff, submit


def _a_day_after_the_12th(*, after_days: int) -> date:
    """A weekday at least ``after_days`` ahead whose day of the month is
    above 12, so that a day and a month swapped cannot pass for a date."""
    day = timezone.localdate() + timedelta(days=after_days)
    while day.day <= 12 or day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, wall: time) -> datetime:
    return datetime.combine(day, wall, tzinfo=timezone.get_current_timezone())


def _blend_state(personas: Personas) -> dict[str, Any]:
    plan = BlendPlan.objects.get(resident=personas.resident)
    return {
        "plan": {
            field: getattr(plan, field)
            for field in (
                "review_date",
                "best_times",
                "preferred_channel",
                "needs_large_text",
                "needs_read_aloud",
                "has_no_email",
                "needs_help_of_relative",
                "notes",
            )
        },
        "agreements": set(BlendAgreement.objects.filter(plan=plan).values_list("goal_id", "channel")),
        # Only changes of consent are recorded: a new row means one was made up.
        "consents": set(ChannelConsent.objects.filter(resident=personas.resident).values_list("pk", "is_given")),
    }


def _appointment_state(appointment: Appointment) -> dict[str, Any]:
    row = Appointment.objects.get(pk=appointment.pk)
    return {
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "location_id": row.location_id,
        "kind": row.kind,
        # A confirmed appointment that is "moved" to its own time would ask
        # the resident to confirm again and tell them it changed.
        "status": row.status,
        "sequence": row.sequence,
        "notices": AppointmentNotice.objects.filter(appointment=row).count(),
    }


def _session_state(session: GroupSession) -> dict[str, Any]:
    row = GroupSession.objects.get(pk=session.pk)
    return {
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "location_id": row.location_id,
        "capacity": row.capacity,
        # A moved session writes on the timeline of everyone signed up.
        "timeline": TimelineEvent.objects.filter(object_public_id=row.public_id).count(),
    }


def _preference_state(personas: Personas) -> dict[str, Any]:
    row = NotificationPreference.objects.get(user=personas.worker)
    return {"quiet_from": row.quiet_from, "quiet_until": row.quiet_until, "channels": row.channels}


def test_every_form_with_a_stored_date_or_time_saved_unchanged_changes_nothing(
    page: Page, site: str, personas: Personas
) -> None:
    worker, resident = personas.worker, personas.resident
    # The blend plan: the demo case file has one with a review date in 30 days.
    demo_casefile_create(resident=resident, worker=worker)
    review_date = BlendPlan.objects.get(resident=resident).review_date
    assert review_date is not None

    # A confirmed appointment at 09:05 (a leading zero, no seconds).
    appointment_day = _a_day_after_the_12th(after_days=3)
    appointment = booking.appointment_propose(
        worker=worker,
        resident=resident,
        kind="face_to_face",
        starts_at=_at(appointment_day, time(9, 5)),
        minutes=45,
        location=personas.demo.location,
    )
    appointment = booking.appointment_confirm(appointment=appointment, by=resident)
    assert appointment.status == AppointmentStatus.CONFIRMED

    # A group session at 19:30 with a resident signed up.
    session_day = _a_day_after_the_12th(after_days=20)
    session = sessions.group_session_plan(
        host=worker,
        title="Training omgaan met geld",
        description="",
        kind=GroupSession.Kind.FACE_TO_FACE,
        location=personas.demo.location,
        starts_at=_at(session_day, time(19, 30)),
        minutes=90,
        capacity=8,
    )
    sessions.session_sign_up(session=session, resident=resident)

    # Quiet hours over midnight, with a leading zero.
    channels = [channel.value for channel in channels_available()]
    preference_set(
        user=worker,
        channels={event.value: channels[:1] for event in events_for(worker)},
        quiet_from=time(21, 30),
        quiet_until=time(7, 5),
    )

    before = {
        "blend": _blend_state(personas),
        "appointment": _appointment_state(appointment),
        "session": _session_state(session),
        "preferences": _preference_state(personas),
    }

    sign_in_staff(page, site, username=worker.username, name="prefilled-worker")

    # The blend plan: the original loss of the review date.
    goto(page, f"{site}/werk/inwoners/{resident.public_id}/samenwerken/", "prefilled-blend")
    expect(page.locator("#id_review_date")).to_have_value(review_date.isoformat())
    submit(page, page.get_by_role("button", name="Plan opslaan"), "prefilled-blend-saved")
    expect(page.get_by_text("Het plan is opgeslagen.")).to_be_visible()
    expect(page.locator("#id_review_date")).to_have_value(review_date.isoformat())

    # The worker's move form.
    goto(page, f"{site}/afspraken/{appointment.public_id}/verzetten/", "prefilled-move")
    expect(page.locator("#id_day")).to_have_value(appointment_day.isoformat())
    expect(page.locator("#id_time")).to_have_value("09:05")
    submit(page, page.get_by_role("button", name="Nieuwe tijd voorstellen"), "prefilled-move-unchanged")
    expect(page.get_by_role("alert")).to_contain_text("U heeft niets veranderd.")
    expect(page.locator("#id_day")).to_have_value(appointment_day.isoformat())
    expect(page.locator("#id_time")).to_have_value("09:05")

    # The group session's change form.
    goto(page, f"{site}/groepsbijeenkomsten/{session.public_id}/wijzigen/", "prefilled-session")
    expect(page.locator("#id_day")).to_have_value(session_day.isoformat())
    expect(page.locator("#id_start_time")).to_have_value("19:30")
    submit(page, page.get_by_role("button", name="Wijziging opslaan"), "prefilled-session-saved")
    expect(page.get_by_text("De groepsbijeenkomst is gewijzigd.")).to_be_visible()

    # Quiet hours on the "Meldingen" page.
    goto(page, f"{site}/meldingen/", "prefilled-preferences")
    expect(page.locator("#id_quiet_from")).to_have_value("21:30")
    expect(page.locator("#id_quiet_until")).to_have_value("07:05")
    preferences_form = page.locator("form").filter(has=page.locator("#id_quiet_from"))
    submit(page, preferences_form.get_by_role("button", name="Opslaan", exact=True), "prefilled-preferences-saved")
    expect(page.get_by_text("Uw keuzes voor meldingen zijn opgeslagen.")).to_be_visible()
    expect(page.locator("#id_quiet_from")).to_have_value("21:30")

    after = {
        "blend": _blend_state(personas),
        "appointment": _appointment_state(appointment),
        "session": _session_state(session),
        "preferences": _preference_state(personas),
    }
    for form, state in before.items():
        assert after[form] == state, f"{form}: saved unchanged, yet the database changed"
