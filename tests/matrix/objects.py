"""The objects every matrix row points at: one of everything, of the first
organisation, around ``personas.resident`` (on ``personas.worker``'s
caseload). The note and the document are shared with the resident."""

from __future__ import annotations

from typing import Any

from conftest import Personas


def casefile_objects(personas: Personas) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casefiles import services
    from casefiles.tests.files import pdf_bytes

    worker, resident = personas.worker, personas.resident
    case = services.case_open(resident=resident, opened_by=worker)
    question = services.question_add(case=case, title="Schulden", description="", added_by=worker)
    goal = services.goal_add(
        case=case, title="Overzicht in post", description="", question=question, target_date=None, added_by=worker
    )
    step = services.goal_action_add(
        goal=goal, description="Post sorteren", owner="resident", due_date=None, added_by=worker
    )
    shared_note = services.note_add(case=case, body="Gedeelde notitie", is_shared=True, author=worker)
    document = services.document_add(
        case=case,
        title="Brief",
        upload=SimpleUploadedFile("brief.pdf", pdf_bytes()),
        is_shared=True,
        uploaded_by=worker,
    )
    correction = services.correction_request_add(resident=resident, kind="note", item=shared_note, text="Klopt niet")
    from blend.services import channel_consent_set
    from messaging.services import conversation_direct_open, conversation_group_create, message_send

    channel_consent_set(resident=resident, channel="chat", is_given=True, recorded_by=resident)
    conversation = conversation_direct_open(resident=resident, opened_by=worker)
    message = message_send(conversation=conversation, author=worker, body="Hallo", client_key="matrix-1").message
    attachment_message = message_send(
        conversation=conversation,
        author=resident,
        body="",
        client_key="matrix-2",
        upload=SimpleUploadedFile("brief.pdf", pdf_bytes()),
    ).message
    return {
        "case": case,
        "question": question,
        "goal": goal,
        "step": step,
        "shared_note": shared_note,
        "document": document,
        "correction": correction,
        "conversation": conversation,
        "message": message,
        "attachment_message": attachment_message,
        "group": conversation_group_create(title="Training", created_by=worker, residents=[resident]),
        **consultation_objects(personas),
        **appointment_objects(personas),
    }


def appointment_objects(personas: Personas) -> dict[str, Any]:
    from datetime import time, timedelta

    from django.utils import timezone

    from appointments import services as appointment_services
    from appointments.booking import appointment_request_send
    from appointments.sessions import group_session_plan, session_sign_up
    from appointments.tests.factories import confirmed_appointment

    today = timezone.localdate()
    session = group_session_plan(
        host=personas.worker,
        title="Training omgaan met geld",
        description="",
        kind="face_to_face",
        location=personas.demo.location,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=90,
        capacity=10,
    )
    return {
        "session": session,
        "signup": session_sign_up(session=session, resident=personas.resident),
        "availability": appointment_services.availability_add(
            worker=personas.worker, weekday=1, starts_at=time(9), ends_at=time(12), kinds=["phone"], location=None
        ),
        "absence": appointment_services.exception_add(
            worker=personas.worker, first_day=today, last_day=today + timedelta(days=3), reason="Verlof"
        ),
        "closing_day": appointment_services.closing_day_add(
            organisation=personas.organisation, day=today + timedelta(days=30), reason="", added_by=personas.admin
        ),
        # A confirmed video appointment starting in five minutes (the call is open).
        "appointment": confirmed_appointment(resident=personas.resident, worker=personas.worker),
        "request": appointment_request_send(
            resident=personas.resident, worker=personas.worker, kinds=["phone"], weekdays=[0], parts_of_day=[], note=""
        ),
    }


def consultation_objects(personas: Personas) -> dict[str, Any]:
    from datetime import time

    from django.utils import timezone

    from messaging.consultation import hour_add, visit_pick_up, visit_start

    hour = hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )
    visit = visit_start(organisation=personas.organisation, name="Bezoeker")
    visit_pick_up(visit=visit, worker=personas.worker)
    return {"hour": hour, "visit": visit}
