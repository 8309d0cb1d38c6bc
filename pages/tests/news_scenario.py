"""A worker's day of actions that are news for a resident without e-mail,
set up through the services (shared by the page test and the browser test)."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from django.utils import timezone

from appointments import booking
from appointments import services as appointment_services
from blend.services import blend_plan_save
from casefiles import services as casefile_services
from casefiles.models import Case
from casefiles.tests.files import pdf_bytes, upload
from conftest import Personas
from messaging.services import conversation_direct_open, message_send


def no_email_plan(personas: Personas) -> None:
    """The resident chose "no e-mail"; chat and every kind of appointment agreed."""
    blend_plan_save(
        resident=personas.resident,
        saved_by=personas.worker,
        review_date=None,
        best_times="",
        preferred_channel="face_to_face",
        needs_large_text=False,
        needs_read_aloud=False,
        has_no_email=True,
        needs_help_of_relative=False,
        notes="",
        case_channels={"face_to_face", "phone", "video", "chat"},
        goal_channels={},
        consent_changes={"video": True, "chat": True},
    )


def _day_in(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def appointment_booked_and_confirmed(personas: Personas) -> None:
    """The resident books a phone call three days ahead; the worker confirms."""
    day = _day_in(3)
    appointment_services.booking_rules_set(worker=personas.worker, buffer_minutes=15, max_per_day=6, slot_minutes=45)
    appointment_services.availability_add(
        worker=personas.worker,
        weekday=day.weekday(),
        starts_at=time(9),
        ends_at=time(12),
        kinds=["phone"],
        location=None,
    )
    appointment = booking.appointment_book(
        resident=personas.resident, worker=personas.worker, kind="phone", starts=f"{day.isoformat()}T09:00"
    )
    booking.appointment_confirm(appointment=appointment, by=personas.worker)


def worker_acts(personas: Personas) -> Case:
    """Everything a resident hears about on their home page, in order."""
    case = casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    no_email_plan(personas)
    appointment_booked_and_confirmed(personas)
    note = casefile_services.note_add(case=case, body="Er zijn 3 schuldeisers.", is_shared=True, author=personas.worker)
    correction = casefile_services.correction_request_add(
        resident=personas.resident, kind="note", item=note, text="Het zijn er 2."
    )
    casefile_services.correction_request_answer(
        correction=correction, accepted=True, answer_text="U hebt gelijk.", answered_by=personas.worker
    )
    document = casefile_services.document_add(
        case=case,
        title="Brief van de gemeente",
        upload=upload("brief.pdf", pdf_bytes()),
        is_shared=False,
        uploaded_by=personas.worker,
    )
    casefile_services.document_visibility_set(document=document, is_shared=True, changed_by=personas.worker)
    goal = casefile_services.goal_add(
        case=case,
        title="Schulden op een rij",
        description="",
        question=None,
        target_date=None,
        added_by=personas.worker,
    )
    casefile_services.goal_action_add(
        goal=goal, description="Post sorteren", owner="resident", due_date=None, added_by=personas.worker
    )
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    message_send(conversation=conversation, author=personas.worker, body="Tot dinsdag!", client_key=uuid.uuid4().hex)
    return case


def expected_news(personas: Personas) -> list[str]:
    """The sentences the resident reads (B1, "u"), one per kind of news."""
    name = personas.worker.full_name
    return [
        "U hebt 1 nieuw bericht van uw sociaal werker",
        f"{name} heeft uw afspraak bevestigd: telefoon op ",
        f"{name} heeft uw vraag om correctie beantwoord",
        f"{name} heeft een document met u gedeeld: Brief van de gemeente",
        f"{name} heeft een stap toegevoegd bij het doel: Schulden op een rij",
    ]
