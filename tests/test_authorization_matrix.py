"""The authorization matrix: every URL pattern by every role.

The URL patterns are enumerated from the resolver, so a new page without an
entry in EXPECTATIONS fails ``test_every_url_pattern_has_an_expectation``.
For each pattern one object of the first organisation is requested by every
role, by a worker and an admin of a second organisation, and by an anonymous
visitor. Each request runs in a savepoint that is rolled back, so a POST by
one role does not change what the next role sees.

Reading the table: 200/302 allowed (302 = done, redirected), 302→login for
anonymous visitors, 403 = signed in but not for this role, 404 = the object
is not theirs (missing and forbidden look the same), 405 = wrong method.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from conftest import Personas, client_for
from organisations.services import organisation_update

ROLES = [
    "anonymous",
    "resident",
    "trusted_person",
    "social_worker",
    "team_lead",
    "organisation_admin",
    "privacy_officer",
    "researcher",
    "platform_admin",
    "foreign_worker",
    "foreign_admin",
]
SIGNED_IN = [r for r in ROLES if r != "anonymous"]
LOGIN = "login"  # a 302 to the sign-in page


@dataclass(frozen=True)
class Expect:
    statuses: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[Personas], dict[str, Any]] = lambda p: {}
    data: dict[str, Any] = field(default_factory=dict)


def roles(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    return table


def staff_page(allowed: Mapping[str, int | str], *, denied: int = 403) -> dict[str, int | str]:
    """Signed-in roles not in ``allowed`` get ``denied``; anonymous → login."""
    table: dict[str, int | str] = dict.fromkeys(SIGNED_IN, denied)
    table["anonymous"] = LOGIN
    table.update(allowed)
    return table


def everyone(status: int | str) -> dict[str, int | str]:
    return roles(status)


def signed_in(status: int | str) -> dict[str, int | str]:
    return roles(status, anonymous=LOGIN)


RESIDENT_AREA = ("resident", "trusted_person")
CASEWORK = ("social_worker", "team_lead", "foreign_worker")
ADMINS = ("organisation_admin", "foreign_admin")

resident_id = lambda p: {"public_id": p.resident.public_id}  # noqa: E731

EXPECTATIONS: dict[str, Expect] = {
    # --- Public and shared -------------------------------------------------------
    "home": Expect(roles(302, researcher=200, anonymous=LOGIN)),
    "health": Expect(everyone(200)),
    "set_language": Expect(everyone(302), method="post", data={"language": "en", "next": "/"}),
    "pages:display": Expect(everyone(200)),
    "pages:security": Expect(signed_in(200)),
    "organisations:logo": Expect(everyone(200), kwargs=lambda p: {"public_id": p.organisation.public_id}),
    # --- Onboarding -------------------------------------------------------------
    "accounts:activate": Expect(roles(302, anonymous=200)),
    "accounts:choose_credentials": Expect(everyone(404)),
    "accounts:accept_invitation": Expect(everyone(404), kwargs=lambda p: {"token": "not-a-real-token"}),
    "accounts:resident_invite": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
    "accounts:resident_letter": Expect(
        # The resident is active: a worker on the caseload gets a recovery
        # letter (PDF); a team lead of another team and a foreign worker 404.
        staff_page({"social_worker": 200, "team_lead": 404, "foreign_worker": 404}),
        method="post",
        kwargs=resident_id,
    ),
    # --- Casework ----------------------------------------------------------------
    "organisations:caseload": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
    "organisations:resident_detail": Expect(
        staff_page({"social_worker": 200, "team_lead": 404, "foreign_worker": 404}), kwargs=resident_id
    ),
    # An empty form: the worker is told to choose a colleague (302).
    "organisations:resident_colleague_add": Expect(
        staff_page({"social_worker": 302, "team_lead": 404, "foreign_worker": 404}), method="post", kwargs=resident_id
    ),
    "organisations:resident_email_invitation": Expect(
        staff_page({"social_worker": 302, "team_lead": 404, "foreign_worker": 404}),
        method="post",
        kwargs=resident_id,
    ),
    # --- Resident area -------------------------------------------------------------
    "pages:resident_home": Expect(staff_page(dict.fromkeys(RESIDENT_AREA, 200))),
    "pages:trusted_persons": Expect(staff_page({"resident": 200, "trusted_person": 404})),
    "pages:trusted_person_invite": Expect(staff_page({"resident": 200, "trusted_person": 404})),
    "pages:preferred_name": Expect(staff_page({"resident": 200, "trusted_person": 404})),
    "pages:trusted_person_revoke": Expect(
        staff_page({"resident": 302, "trusted_person": 404}),
        method="post",
        kwargs=lambda p: {"public_id": p.resident.trusted_person_grants.get().public_id},
    ),
    "audit:who_looked": Expect(staff_page({"resident": 200, "trusted_person": 404})),
    # --- Organisation admin --------------------------------------------------------
    "organisations:admin_home": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:settings": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:teams": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:team_detail": Expect(
        staff_page({"organisation_admin": 200, "foreign_admin": 404}),
        kwargs=lambda p: {"public_id": p.demo.teams[0].public_id},
    ),
    "organisations:locations": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:location_new": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:location_edit": Expect(
        staff_page({"organisation_admin": 200, "foreign_admin": 404}),
        kwargs=lambda p: {"public_id": p.demo.location.public_id},
    ),
    "organisations:users": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:user_invite": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    "organisations:user_detail": Expect(
        staff_page({"organisation_admin": 200, "foreign_admin": 404}), kwargs=resident_id
    ),
    "organisations:user_assign_worker": Expect(
        staff_page({"organisation_admin": 302, "foreign_admin": 404}), method="post", kwargs=resident_id
    ),
    "organisations:user_unassign_worker": Expect(
        staff_page({"organisation_admin": 302, "foreign_admin": 404}),
        method="post",
        kwargs=lambda p: {"public_id": p.resident.public_id, "worker_id": p.worker.public_id},
    ),
    # --- Privacy officer and platform ----------------------------------------------
    "audit:access_log": Expect(staff_page({"privacy_officer": 200})),
    "audit:access_log_export": Expect(staff_page({"privacy_officer": 200})),
    "organisations:platform_home": Expect(staff_page({"platform_admin": 200})),
    "organisations:organisation_create": Expect(staff_page({"platform_admin": 200})),
}


# --- Case file and blend plan ----------------------------------------------------
# Objects come from ``casefile_objects``: a case of ``personas.resident`` (on
# the social worker's caseload) with one of everything, the note and the
# document shared with the resident.
CASEWORK_ON_CASELOAD = {"social_worker": 200, "team_lead": 404, "foreign_worker": 404}
CASEWORK_POST = {"social_worker": 302, "team_lead": 404, "foreign_worker": 404}


def cf(name: str) -> Callable[[Personas], dict[str, Any]]:
    return lambda p: {"public_id": p.casefile[name].public_id}  # type: ignore[attr-defined]


def cf_item(kind: str, name: str) -> Callable[[Personas], dict[str, Any]]:
    return lambda p: {"kind": kind, "public_id": p.casefile[name].public_id}  # type: ignore[attr-defined]


# Residents and their trusted person reach the resident's own, shared items;
# this trusted person was granted appointments only, not the case file.
BOTH_SIDES = roles(404, anonymous=LOGIN, resident=302, social_worker=302)

EXPECTATIONS.update(
    {
        "casefiles:staff_casefile": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=resident_id),
        "casefiles:timeline": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=resident_id),
        # The resident already has a case: the worker is told so (302).
        "casefiles:case_open": Expect(staff_page(CASEWORK_POST), method="post", kwargs=resident_id),
        "casefiles:case_status": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:question_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:goal_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:agreement_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:note_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:document_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("case")),
        "casefiles:handover": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=cf("case")),
        "casefiles:question_status": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("question")),
        "casefiles:goal_status": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("goal")),
        "casefiles:goal_action_add": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("goal")),
        "casefiles:note_visibility": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("shared_note")),
        "casefiles:document_visibility": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("document")),
        "casefiles:correction_answer": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=cf("correction")),
        "casefiles:goal_action_done": Expect(BOTH_SIDES, method="post", kwargs=cf("step")),
        "casefiles:document_download": Expect(
            roles(404, anonymous=LOGIN, resident=200, social_worker=200), kwargs=cf("document")
        ),
        "casefiles:resident_casefile": Expect(staff_page({"resident": 200, "trusted_person": 404})),
        "casefiles:resident_document_add": Expect(staff_page({"resident": 200, "trusted_person": 404})),
        "casefiles:resident_comment": Expect(
            staff_page({"resident": 302, "trusted_person": 404}),
            method="post",
            kwargs=cf_item("note", "shared_note"),
        ),
        "casefiles:correction_request": Expect(
            staff_page({"resident": 200, "trusted_person": 404}), kwargs=cf_item("note", "shared_note")
        ),
        # A trusted person needs the "casefile" scope; this one has only
        # "appointments". The resident may read their own file this way too.
        "casefiles:trusted_casefile": Expect(staff_page({"resident": 200, "trusted_person": 404}), kwargs=resident_id),
        "blend:staff_blend": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=resident_id),
        "blend:resident_blend": Expect(staff_page({"resident": 200, "trusted_person": 404})),
        "blend:resident_consent": Expect(staff_page({"resident": 302, "trusted_person": 404}), method="post"),
    }
)


# --- Messaging --------------------------------------------------------------------
# A direct conversation of ``personas.resident`` (chat switched on) with a
# message from the worker and one with an attachment from the resident.
MESSAGING = {"resident": 200, "social_worker": 200, "team_lead": 200, "foreign_worker": 200}
ON_CASELOAD_BOTH = {"resident": 200, "social_worker": 200, "team_lead": 404, "foreign_worker": 404}
POST_BOTH = {"resident": 302, "social_worker": 302, "team_lead": 404, "foreign_worker": 404}
EXPECTATIONS.update(
    {
        "messaging:inbox": Expect(staff_page(MESSAGING)),
        "messaging:search": Expect(staff_page(MESSAGING)),
        "messaging:conversation": Expect(staff_page(ON_CASELOAD_BOTH), kwargs=cf("conversation")),
        "messaging:since": Expect(staff_page(ON_CASELOAD_BOTH), kwargs=cf("conversation")),
        # An empty form: the sender is told what is wrong (302).
        "messaging:send": Expect(staff_page(POST_BOTH), method="post", kwargs=cf("conversation")),
        # Only the author edits; the page is 404 to everyone else.
        "messaging:message_edit": Expect(staff_page(ON_CASELOAD_BOTH | {"resident": 404}), kwargs=cf("message")),
        "messaging:message_delete": Expect(staff_page(POST_BOTH), method="post", kwargs=cf("message")),
        "messaging:message_report": Expect(staff_page(POST_BOTH), method="post", kwargs=cf("message")),
        "messaging:message_hide": Expect(
            staff_page({"social_worker": 302, "team_lead": 404, "foreign_worker": 404}),
            method="post",
            kwargs=cf("message"),
        ),
        "messaging:attachment": Expect(staff_page(ON_CASELOAD_BOTH), kwargs=cf("attachment_message")),
        "messaging:staff_chat_open": Expect(staff_page(CASEWORK_POST), method="post", kwargs=resident_id),
        # --- Chat consultation hour: the visitor pages work with the visit's
        # own cookie, which none of these people has.
        "messaging:visit_start": Expect(everyone(200), kwargs=lambda p: {"code": p.organisation.consultation_code}),
        "messaging:visit": Expect(everyone(404)),
        "messaging:visit_send": Expect(everyone(404), method="post"),
        "messaging:visit_since": Expect(everyone(404)),
        "messaging:visit_consent": Expect(everyone(404), method="post"),
        "messaging:visit_leave": Expect(everyone(200), method="post"),
        "messaging:queue": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        # The visit was picked up by the worker: a second pick-up is refused
        # with a message (302); the follow-up page is only the worker's.
        "messaging:pick_up": Expect(
            staff_page({"social_worker": 302, "team_lead": 302, "foreign_worker": 404}),
            method="post",
            kwargs=cf("visit"),
        ),
        "messaging:close_visit": Expect(
            staff_page({"social_worker": 302, "team_lead": 302, "foreign_worker": 404}),
            method="post",
            kwargs=cf("visit"),
        ),
        "messaging:follow_up": Expect(
            staff_page({"social_worker": 200, "team_lead": 404, "foreign_worker": 404}), kwargs=cf("visit")
        ),
        "messaging:hours": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
        "messaging:hour_delete": Expect(
            staff_page({"organisation_admin": 302, "foreign_admin": 404}),
            method="post",
            kwargs=lambda p: {"pk": p.casefile["hour"].pk},  # type: ignore[attr-defined]
        ),
        "messaging:group_create": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        # --- Appointments: availability (own times only) and closing days.
        "appointments:availability": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "appointments:availability_remove": Expect(
            staff_page({"social_worker": 302, "team_lead": 404, "foreign_worker": 404}),
            method="post",
            kwargs=cf("availability"),
        ),
        "appointments:exception_remove": Expect(
            staff_page({"social_worker": 302, "team_lead": 404, "foreign_worker": 404}),
            method="post",
            kwargs=cf("absence"),
        ),
        "appointments:closing_days": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
        "appointments:closing_day_remove": Expect(
            staff_page({"organisation_admin": 302, "foreign_admin": 404}), method="post", kwargs=cf("closing_day")
        ),
        # --- Appointments: video calls ---
        # Only the two participants join; a team lead or trusted person who
        # may read the appointment does not (404, like everyone else).
        "appointments:call": Expect(
            staff_page({"resident": 200, "social_worker": 200}, denied=404), kwargs=cf("appointment")
        ),
        # --- Appointments: calendar (ics, feeds) ---
        # One appointment as a file: whoever may see the appointment.
        "appointments:ics": Expect(
            staff_page(
                {"resident": 200, "trusted_person": 200, "social_worker": 200, "team_lead": 404, "foreign_worker": 404}
            ),
            kwargs=cf("appointment"),
        ),
        # A feed address of one's own: residents and casework staff.
        "appointments:feed_settings": Expect(staff_page({"resident": 200, **dict.fromkeys(CASEWORK, 200)})),
        # The feed needs no sign-in; a wrong token is 404 for everyone.
        "appointments:feed": Expect(everyone(404), kwargs=lambda p: {"token": "A" * 43}),
        # --- Appointments: group sessions ---
        # A face-to-face session planned by the social worker, the resident
        # signed up. Residents and casework staff of the organisation see it;
        # only the host (or their team lead) cancels it and records who came.
        "appointments:sessions": Expect(staff_page({"resident": 200, **dict.fromkeys(CASEWORK, 200)})),
        "appointments:session_create": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "appointments:session_detail": Expect(
            staff_page({"resident": 200, "social_worker": 200, "team_lead": 200, "foreign_worker": 404}),
            kwargs=cf("session"),
        ),
        # Signed up already: the resident is told so (302); a trusted person
        # does not sign up for the resident (404).
        "appointments:session_signup": Expect(
            staff_page({"resident": 302, "trusted_person": 404}), method="post", kwargs=cf("session")
        ),
        "appointments:session_signoff": Expect(
            staff_page({"resident": 302, "trusted_person": 404}), method="post", kwargs=cf("session")
        ),
        "appointments:session_cancel": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=cf("session")),
        "appointments:session_change": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=cf("session")),
        # Before the start: the host is told to wait (302).
        "appointments:session_attendance": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("session")),
        # --- Appointments: booking, requests, agenda ---
        # Residents book for themselves; the trusted person only reads.
        "appointments:mine": Expect(staff_page({"resident": 200})),
        "appointments:book": Expect(staff_page({"resident": 200})),
        "appointments:book_confirm": Expect(staff_page({"resident": 200})),
        "appointments:request": Expect(staff_page({"resident": 200})),
        "appointments:request_withdraw": Expect(staff_page({"resident": 302}), method="post", kwargs=cf("request")),
        "appointments:detail": Expect(
            roles(404, anonymous=LOGIN, resident=200, trusted_person=200, social_worker=200), kwargs=cf("appointment")
        ),
        # The appointment is confirmed already: the answer is a message and a redirect.
        "appointments:confirm": Expect(
            roles(404, anonymous=LOGIN, resident=302, social_worker=302), method="post", kwargs=cf("appointment")
        ),
        # It starts within the resident's change deadline: they are sent back with a message.
        "appointments:move": Expect(
            roles(404, anonymous=LOGIN, resident=302, social_worker=200), kwargs=cf("appointment")
        ),
        "appointments:cancel": Expect(
            roles(404, anonymous=LOGIN, resident=200, social_worker=200), kwargs=cf("appointment")
        ),
        "appointments:no_show": Expect(staff_page(CASEWORK_POST), method="post", kwargs=cf("appointment")),
        "appointments:agenda": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "appointments:propose": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=resident_id),
        "appointments:trusted_appointments": Expect(
            staff_page({"resident": 404, "trusted_person": 200}), kwargs=resident_id
        ),
        # A group of the worker (moderator) with the resident as member.
        "messaging:group_members": Expect(staff_page(ON_CASELOAD_BOTH), kwargs=cf("group")),
        "messaging:group_member_remove": Expect(
            staff_page(POST_BOTH),
            method="post",
            kwargs=lambda p: {"public_id": p.casefile["group"].public_id, "member_id": p.resident.public_id},  # type: ignore[attr-defined]
        ),
        # The conversation exists: the resident is taken to it.
        "messaging:resident_chat": Expect(staff_page({"resident": 302, "trusted_person": 404})),
    }
)


def casefile_objects(personas: Personas) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casefiles import services

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
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
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
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
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


def _allauth(expect: Expect, *names: str) -> None:
    for name in names:
        EXPECTATIONS[name] = expect


# --- django-allauth: sign-in, MFA, sessions ---------------------------------------
# Signed-in people are sent on from the sign-in page; signup is closed (the
# page says so) and sends signed-in people home. Pages that change a second
# factor first ask to re-authenticate (302); pages about a factor one does not
# have answer 404.
STAFF_ROLES_HERE = (
    "social_worker",
    "team_lead",
    "organisation_admin",
    "privacy_officer",
    "researcher",
    "platform_admin",
    "foreign_worker",
    "foreign_admin",
)
_allauth(Expect(roles(302, anonymous=200)), "account_login", "account_signup")
_allauth(
    Expect(everyone(200)),
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
)
_allauth(Expect(roles(200, anonymous=302)), "account_logout")
_allauth(Expect(signed_in(302)), "account_confirm_login_code", "mfa_authenticate", "mfa_login_webauthn")
_allauth(
    Expect(signed_in(200)),
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "mfa_list_webauthn",
    "account_reauthenticate",
)
_allauth(
    Expect(signed_in(302)),
    "account_set_password",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "mfa_reauthenticate_webauthn",
    "mfa_add_webauthn",
    "mfa_activate_totp",
)
# Residents have no TOTP: nothing to deactivate or re-authenticate with.
_allauth(Expect(signed_in(302) | {"resident": 404, "trusted_person": 404}), "mfa_deactivate_totp")
_allauth(Expect(signed_in(302) | dict.fromkeys(STAFF_ROLES_HERE, 200)), "mfa_reauthenticate")
# Nobody has recovery codes yet.
_allauth(Expect(signed_in(404)), "mfa_view_recovery_codes", "mfa_download_recovery_codes")
_allauth(Expect(signed_in(302)), "mfa_generate_recovery_codes")
EXPECTATIONS["account_confirm_email"] = Expect(everyone(200), kwargs=lambda p: {"key": "not-a-key"})
EXPECTATIONS["account_reset_password_from_key"] = Expect(
    everyone(200), kwargs=lambda p: {"uidb36": "zz", "key": "not-a-key"}
)
# Someone else's (or no) passkey: re-authenticate first, then 404.
EXPECTATIONS["mfa_remove_webauthn"] = Expect(signed_in(302), kwargs=lambda p: {"pk": 999999})
EXPECTATIONS["mfa_edit_webauthn"] = Expect(signed_in(302), kwargs=lambda p: {"pk": 999999})


def url_pattern_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or str(pattern.pattern)
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_pattern_has_an_expectation() -> None:
    names = url_pattern_names()
    missing = sorted(names - EXPECTATIONS.keys())
    stale = sorted(EXPECTATIONS.keys() - names)
    assert not missing, f"URL patterns without an authorization expectation: {missing}"
    assert not stale, f"Expectations for URL patterns that no longer exist: {stale}"


def test_every_expectation_names_every_role() -> None:
    for name, expect in EXPECTATIONS.items():
        assert set(expect.statuses) == set(ROLES), name


def _a_small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5fa8").save(out, format="PNG")
    return out.getvalue()


def _observed(response: Any) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response.headers.get("Location", ""):
        return LOGIN
    return int(response.status_code)


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_authorization_matrix(url_name: str, personas: Personas) -> None:
    expect = EXPECTATIONS[url_name]
    organisation_update(
        organisation=personas.organisation,
        name=personas.organisation.name,
        brand_colour=personas.organisation.brand_colour,
        phone=personas.organisation.phone,
        logo=_a_small_png(),
    )
    personas.casefile = casefile_objects(personas)  # type: ignore[attr-defined]
    url = reverse(url_name, kwargs=expect.kwargs(personas))
    users = personas.by_role()
    observed: dict[str, int | str] = {}
    for role in ROLES:
        cache.clear()
        client = client_for(users[role])
        with transaction.atomic():
            response = getattr(client, expect.method)(url, data=expect.data)
            observed[role] = _observed(response)
            transaction.set_rollback(True)
    if os.environ.get("MATRIX_DISCOVER"):
        print(f"\n{url_name} {expect.method.upper()} {url}: {observed}")
    mismatches = {
        role: f"expected {expect.statuses[role]}, got {observed[role]}"
        for role in ROLES
        if observed[role] != expect.statuses[role]
    }
    assert not mismatches, f"{expect.method.upper()} {url}: {mismatches}"
