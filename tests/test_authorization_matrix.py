"""The authorization matrix: every URL pattern, every method, every persona.

The URL patterns are enumerated from the resolver, so a new page without an
entry in EXPECTATIONS fails ``test_every_url_pattern_has_an_expectation``.
Each entry says which methods the view accepts (the primary ``method`` and,
for a page with a form, ``post``); every accepted method is requested by
every persona, and every other method (GET, POST, PUT, PATCH, DELETE) is
sent by the personas the view lets in, who must get 405: a view that quietly
accepts a method nobody declared fails. Each request runs in a savepoint
that is rolled back, so a POST by one persona does not change what the next
persona sees.

Reading a table: 200/302 allowed, 302→login (``LOGIN``) for anonymous
visitors, ``HOME`` a 302 to ``/`` (sent back to one's own start page), 403 =
signed in but not for this role, 404 = the object is not theirs (missing
and forbidden look the same), 405 = wrong method. A POST is "done" when it
changed the database (a fingerprint of every table but the access log and
the sessions, before and after): ``done`` names the personas whose POST
must change it; for everyone else the database must stay as it was, so a
302 that only says "not allowed" cannot pass for one that did the work.

The personas: the first organisation's roles (``personas.resident`` on
``personas.worker``'s caseload), a neighbour (``other_resident``), a colleague
in the worker's team (``colleague``), the lead of the worker's team
(``own_team_lead``) and of the other team (``team_lead``), and three people
of a second organisation. Columns for the four personas added later are
filled by analogy (see ``_complete``) unless a row names them.

Two rules hold beside the table: people of the second organisation get only
a refusal on any URL that points at a first-organisation object, whatever
the method (``test_no_object_url_crosses_organisations``); and no page shown
to them, or to the colleague, names a first-organisation resident
(``test_pages_never_name_residents_of_another_caseload``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from conftest import MatrixPersonas, Personas, client_for
from organisations.services import organisation_update
from samenspraak.retention import record_classes
from tests.matrix.objects import casefile_objects

__all__ = ["EXPECTATIONS", "LOGIN", "ROLES", "_a_small_png", "_observed", "casefile_objects"]

# The original eleven personas (``Personas.by_role``); other test modules
# iterate these with the plain ``personas`` fixture.
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
NEW_ROLES = ["other_resident", "colleague", "own_team_lead", "foreign_resident"]
ALL_ROLES = ROLES + NEW_ROLES
SIGNED_IN = [r for r in ALL_ROLES if r != "anonymous"]
FOREIGN = ("foreign_worker", "foreign_admin", "foreign_resident")
LOGIN = "login"  # a 302 to the sign-in page
HOME = "home"  # a 302 to "/", which sends everyone on to their own start page
DENIALS: frozenset[int | str] = frozenset({403, 404, 405, LOGIN, HOME})
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Expect:
    """One URL pattern. ``statuses`` is for ``method``; ``post`` (with
    ``post_done``) is for a page that also takes a form. ``form`` builds a
    body from the fixtures that makes the allowed persona's POST do its work."""

    statuses: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[Personas], dict[str, Any]] = lambda p: {}
    data: dict[str, Any] = field(default_factory=dict)
    form: Callable[[Any], dict[str, Any]] | None = None
    done: tuple[str, ...] = ()
    post: dict[str, int | str] | None = None
    post_done: tuple[str, ...] = ()

    def tables(self) -> dict[str, tuple[dict[str, int | str], tuple[str, ...]]]:
        """Method → (expected outcome per persona, personas whose request is done)."""
        out = {self.method: (self.statuses, self.done)}
        if self.post is not None:
            out["post"] = (self.post, self.post_done)
        return out


def roles(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    return table


def staff_page(allowed: Mapping[str, int | str], *, denied: int = 403) -> dict[str, int | str]:
    """Signed-in roles not in ``allowed`` get ``denied``; anonymous → login."""
    table: dict[str, int | str] = dict.fromkeys([r for r in ROLES if r != "anonymous"], denied)
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
    "set_language": Expect(everyone(HOME), method="post", data={"language": "en", "next": "/"}),
    "pages:display": Expect(everyone(200)),
    "pages:security": Expect(signed_in(200)),
    "organisations:logo": Expect(everyone(200), kwargs=lambda p: {"public_id": p.organisation.public_id}),
    # --- Onboarding -------------------------------------------------------------
    "accounts:activate": Expect(roles(HOME, anonymous=200)),
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
    # Sign-in through an OpenID Connect provider (DigiD): off here (not
    # configured), so every page is a 404. Configured, per persona, in
    # accounts/tests/test_oidc.py.
    "accounts:oidc_authenticate": Expect(everyone(404)),
    "accounts:oidc_callback": Expect(everyone(404)),
    "accounts:oidc_link": Expect(everyone(404)),
    "accounts:oidc_link_start": Expect(everyone(404), method="post"),
    "accounts:oidc_unlink": Expect(everyone(404), method="post"),
    # --- Casework ----------------------------------------------------------------
    "organisations:caseload": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
    # The worker's day: only about the worker's own caseload and agenda.
    "pages:today": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
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
        "casefiles:trusted_person_register": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=cf("case")),
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
        # "Liever in een gesprek": only the resident marks their own goal.
        "casefiles:talk_wish": Expect(
            staff_page({"resident": 302, "trusted_person": 404}),
            method="post",
            kwargs=cf_item("goal", "goal"),
            data={"wens": "1"},
            done=("resident",),
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
# The trusted person may use messaging, but was granted "appointments" only:
# their inbox is empty and every conversation of the resident is a 404.
MESSAGING = {"resident": 200, "trusted_person": 200, "social_worker": 200, "team_lead": 200, "foreign_worker": 200}
ON_CASELOAD_BOTH = {
    "resident": 200,
    "trusted_person": 404,
    "social_worker": 200,
    "team_lead": 404,
    "foreign_worker": 404,
}
POST_BOTH = {"resident": 302, "trusted_person": 404, "social_worker": 302, "team_lead": 404, "foreign_worker": 404}
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
        "messaging:visit_transcript": Expect(everyone(404)),
        # Public: every organisation's hours (two here, so a list), and the
        # next steps a visitor ends on.
        "messaging:consultation_index": Expect(everyone(200)),
        "messaging:next_steps": Expect(everyone(200), kwargs=lambda p: {"code": p.organisation.consultation_code}),
        "messaging:visit_send": Expect(everyone(404), method="post"),
        "messaging:visit_consent_withdraw": Expect(everyone(404), method="post"),
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
        "diary:rule": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
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
        # The built-in video room: only the host and residents signed up
        # (everyone else 404); this session is face-to-face, so they are
        # sent on to its page (302).
        "appointments:group_call": Expect(
            staff_page({"resident": 302, "social_worker": 302}, denied=404), kwargs=cf("session")
        ),
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
        # The trusted person was granted "appointments": they act as the resident does.
        "appointments:confirm": Expect(
            roles(404, anonymous=LOGIN, resident=302, trusted_person=302, social_worker=302),
            method="post",
            kwargs=cf("appointment"),
        ),
        # It starts within the resident's change deadline: they are sent back with a message.
        "appointments:move": Expect(
            roles(404, anonymous=LOGIN, resident=302, trusted_person=302, social_worker=200), kwargs=cf("appointment")
        ),
        "appointments:cancel": Expect(
            roles(404, anonymous=LOGIN, resident=200, trusted_person=200, social_worker=200), kwargs=cf("appointment")
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
        # The way in for a trusted person granted "messages"; this one was
        # granted "appointments" only. Everyone else with messaging: 404.
        "messaging:trusted_messages": Expect(
            staff_page(dict.fromkeys(("resident", "trusted_person", *CASEWORK), 404)), kwargs=resident_id
        ),
    }
)


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
_allauth(Expect(roles(HOME, anonymous=200)), "account_login", "account_signup")
_allauth(
    Expect(everyone(200)),
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
)
_allauth(Expect(roles(200, anonymous=HOME)), "account_logout")
_allauth(Expect(signed_in(HOME)), "account_confirm_login_code", "mfa_authenticate", "mfa_login_webauthn")
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
# The trusted person must keep a second factor, like staff (their only one is TOTP).
_allauth(Expect(signed_in(302) | {"resident": 404}), "mfa_deactivate_totp")
_allauth(Expect(signed_in(302) | dict.fromkeys((*STAFF_ROLES_HERE, "trusted_person"), 200)), "mfa_reauthenticate")
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


def url_patterns() -> dict[str, bool]:
    """Every named URL pattern → whether its route takes arguments."""
    names: dict[str, bool] = {}

    def takes_arguments(pattern: URLPattern | URLResolver) -> bool:
        return bool(getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex)

    def walk(patterns: list[Any], namespace: str | None, outer_takes: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, outer_takes or takes_arguments(pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name or str(pattern.pattern)
                names[f"{namespace}:{name}" if namespace else name] = outer_takes or takes_arguments(pattern)

    walk(get_resolver().url_patterns, None, False)
    return names


def url_pattern_names() -> set[str]:
    return set(url_patterns())


# URLs with an argument that is not an object of the first organisation: a
# made-up token or key, a passkey id nobody has, or something public on
# purpose (the logo, the consultation hour's start page).
NOT_A_FIRST_ORGANISATION_OBJECT = frozenset(
    {
        "accounts:accept_invitation",
        "appointments:feed",
        "account_confirm_email",
        "account_reset_password_from_key",
        "mfa_remove_webauthn",
        "mfa_edit_webauthn",
        "organisations:logo",
        "messaging:visit_start",
        "messaging:next_steps",
    }
)


def _complete(name: str, expect: Expect, takes_object: bool) -> Expect:
    """Fill the four later personas' columns by analogy where a row does not
    name them: the colleague is refused like the other team's lead (both
    casework staff without a link to the resident), the own team's lead may
    what the resident's worker may, and a neighbour or a resident of the
    second organisation gets what the resident gets on a page of their own
    and 404 on the resident's objects (403 where residents are refused)."""

    def fill(table: dict[str, int | str], done: tuple[str, ...]) -> tuple[str, ...]:
        named = set(table)
        resident_like = table["resident"]
        if resident_like != 403 and takes_object and name not in NOT_A_FIRST_ORGANISATION_OBJECT:
            resident_like = 404 if resident_like not in (LOGIN,) else resident_like
        table.setdefault("colleague", table["team_lead"])
        table.setdefault("own_team_lead", table["social_worker"])
        table.setdefault("other_resident", resident_like)
        table.setdefault("foreign_resident", resident_like)
        extra = []
        if "social_worker" in done and "own_team_lead" not in named:
            extra += [r for r in ("own_team_lead",) if table[r] == table["social_worker"]]
        if "resident" in done:
            extra += [
                r for r in ("other_resident", "foreign_resident") if r not in named and table[r] == table["resident"]
            ]
        return tuple(dict.fromkeys([*done, *extra]))

    done = fill(expect.statuses, expect.done)
    post_done = fill(expect.post, expect.post_done) if expect.post is not None else ()
    return Expect(**{**expect.__dict__, "done": done, "post_done": post_done})


# --- Pages with a form: what a POST does ---------------------------------------------
# A view that takes GET and POST answers both; an empty or made-up form is
# refused with the page again (200) or a message (302), and the database
# stays as it was unless ``done`` says otherwise.


def cells(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """A table over all personas, the four later ones included."""
    table = dict.fromkeys(ALL_ROLES, default)
    table.update(overrides)
    return table


def _declare(name: str, method: str, table: dict[str, int | str], done: tuple[str, ...] = ()) -> None:
    assert method == "post" and EXPECTATIONS[name].method == "get", name
    EXPECTATIONS[name] = replace(EXPECTATIONS[name], post=table, post_done=done)


def _adjust(name: str, method: str, done: tuple[str, ...] | None = None, **overrides: int | str) -> None:
    """Where a persona's answer differs from the row above (or from the
    analogy of ``_complete``), or which POSTs change the database."""
    expect = EXPECTATIONS[name]
    if method == expect.method:
        expect.statuses.update(overrides)
        if done is not None:
            EXPECTATIONS[name] = replace(expect, done=done)
    else:
        assert expect.post is not None, name
        expect.post.update(overrides)
        if done is not None:
            EXPECTATIONS[name] = replace(expect, post_done=done)


_declare("account_change_password", "post", cells(200, anonymous="login"), done=())
_declare("account_confirm_reauthentication_code", "post", cells(302, anonymous="login"), done=())
_declare("account_confirm_email", "post", cells(404))
_declare("account_logout", "post", cells(HOME))
_declare(
    "account_email",
    "post",
    cells(302, anonymous="login"),
    done=(
        "social_worker",
        "team_lead",
        "organisation_admin",
        "privacy_officer",
        "researcher",
        "foreign_worker",
        "foreign_admin",
        "colleague",
        "own_team_lead",
    ),
)
_declare("account_login", "post", cells("home", anonymous=200), done=())
_declare("account_reauthenticate", "post", cells(200, anonymous="login"), done=())
_declare("account_request_reauthentication_code", "post", cells(302, anonymous="login"), done=())
_declare("account_reset_password", "post", cells(200), done=())
_declare("account_reset_password_from_key", "post", cells(200), done=())
_declare("account_set_password", "post", cells(302, anonymous="login"), done=())
_declare("account_signup", "post", cells("home", anonymous=200), done=())
_declare("accounts:activate", "post", cells("home", anonymous=200), done=())
_declare(
    "accounts:resident_invite",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=200, foreign_worker=200, colleague=200, own_team_lead=200
    ),
    done=(),
)
_declare(
    "appointments:availability",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=200, foreign_worker=200, colleague=200, own_team_lead=200
    ),
    done=(),
)
_declare(
    "appointments:book_confirm",
    "post",
    cells(403, anonymous="login", resident=200, other_resident=200, foreign_resident=200),
    done=(),
)
_declare(
    "appointments:cancel",
    "post",
    cells(404, anonymous="login", resident=200, trusted_person=200, social_worker=200, own_team_lead=200),
    done=(),
)
_declare(
    "appointments:closing_days",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=200),
    done=(),
)
_declare(
    "diary:rule",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=200),
    done=(),
)
_declare(
    "appointments:feed_settings",
    "post",
    cells(
        302,
        anonymous="login",
        trusted_person=403,
        organisation_admin=403,
        privacy_officer=403,
        researcher=403,
        platform_admin=403,
        foreign_admin=403,
    ),
    done=(),
)
_declare(
    "appointments:move",
    "post",
    cells(404, anonymous="login", resident=302, trusted_person=302, social_worker=200, own_team_lead=200),
    done=(),
)
_declare(
    "appointments:propose",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "appointments:request",
    "post",
    cells(403, anonymous="login", resident=200, other_resident=200, foreign_resident=200),
    done=(),
)
_declare(
    "appointments:session_cancel",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "appointments:session_change",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "appointments:session_create",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=200, foreign_worker=200, colleague=200, own_team_lead=200
    ),
    done=(),
)
_declare(
    "blend:staff_blend",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "casefiles:correction_answer",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "casefiles:correction_request",
    "post",
    cells(403, anonymous="login", resident=200, trusted_person=404, other_resident=404, foreign_resident=404),
    done=(),
)
# Posted without the signed form: the form comes back with its errors (200), nothing changes.
_declare(
    "casefiles:trusted_person_register",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "casefiles:handover",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=200
    ),
    done=(),
)
_declare(
    "casefiles:resident_document_add",
    "post",
    cells(403, anonymous="login", resident=200, trusted_person=404, other_resident=200, foreign_resident=200),
    done=(),
)
_declare(
    "messaging:follow_up",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=404, foreign_worker=404, colleague=404, own_team_lead=404
    ),
    done=(),
)
_declare(
    "messaging:group_create",
    "post",
    cells(
        403, anonymous="login", social_worker=200, team_lead=200, foreign_worker=200, colleague=200, own_team_lead=200
    ),
    done=(),
)
_declare(
    "messaging:group_members",
    "post",
    cells(
        404,
        anonymous="login",
        social_worker=200,
        organisation_admin=403,
        privacy_officer=403,
        researcher=403,
        platform_admin=403,
        foreign_admin=403,
    ),
    done=(),
)
_declare("messaging:hours", "post", cells(403, anonymous="login", organisation_admin=200, foreign_admin=200), done=())
_declare(
    "messaging:message_edit",
    "post",
    cells(
        404,
        anonymous="login",
        social_worker=200,
        organisation_admin=403,
        privacy_officer=403,
        researcher=403,
        platform_admin=403,
        foreign_admin=403,
    ),
    done=(),
)
_declare(
    "messaging:resident_chat",
    "post",
    cells(403, anonymous="login", resident=302, trusted_person=404, other_resident=200, foreign_resident=200),
    done=(),
)
_declare("messaging:visit_start", "post", cells(200), done=())
_declare("mfa_activate_totp", "post", cells(302, anonymous="login"), done=())
_declare("mfa_add_webauthn", "post", cells(302, anonymous="login"), done=())
_declare(
    "mfa_deactivate_totp",
    "post",
    cells(302, anonymous="login", resident=404, other_resident=404, foreign_resident=404),
    done=(),
)
_declare("mfa_edit_webauthn", "post", cells(302, anonymous="login"), done=())
_declare("mfa_generate_recovery_codes", "post", cells(302, anonymous="login"), done=())
_declare(
    "mfa_reauthenticate",
    "post",
    cells(200, anonymous="login", resident=302, other_resident=302, foreign_resident=302),
    done=(),
)
_declare("mfa_reauthenticate_webauthn", "post", cells(302, anonymous="login"), done=())
_declare("mfa_remove_webauthn", "post", cells(302, anonymous="login"), done=())
_declare(
    "organisations:location_edit",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=404),
    done=(),
)
_declare(
    "organisations:location_new",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=200),
    done=(),
)
_declare("organisations:organisation_create", "post", cells(403, anonymous="login", platform_admin=200), done=())
_declare(
    "organisations:settings", "post", cells(403, anonymous="login", organisation_admin=200, foreign_admin=200), done=()
)
_declare(
    "organisations:team_detail",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=404),
    done=(),
)
_declare(
    "organisations:teams", "post", cells(403, anonymous="login", organisation_admin=200, foreign_admin=200), done=()
)
_declare(
    "organisations:user_detail",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=404),
    done=(),
)
_declare(
    "organisations:user_invite",
    "post",
    cells(403, anonymous="login", organisation_admin=200, foreign_admin=200),
    done=(),
)
_declare("pages:display", "post", cells(200), done=())
_declare(
    "pages:preferred_name",
    "post",
    cells(403, anonymous="login", resident=200, trusted_person=404, other_resident=200, foreign_resident=200),
    done=(),
)
_declare(
    "pages:trusted_person_invite",
    "post",
    cells(403, anonymous="login", resident=200, trusted_person=404, other_resident=200, foreign_resident=200),
    done=(),
)
_declare("usersessions_list", "post", cells(302, anonymous="login"), done=())

# --- Forms that make an allowed POST do its work ----------------------------------------
# Real values from the fixtures: a refusal then cannot hide behind a form
# error, and ``done`` is checked against the database.


def _a_pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casefiles.tests.files import pdf_bytes

    return SimpleUploadedFile("brief.pdf", pdf_bytes(), content_type="application/pdf")


def _a_weekday_in(days: int) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _form(name: str, build: Callable[[Any], dict[str, Any]], done: tuple[str, ...] | None = None) -> None:
    expect = EXPECTATIONS[name]
    if expect.method == "post":
        EXPECTATIONS[name] = replace(expect, form=build, done=expect.done if done is None else done)
    else:
        EXPECTATIONS[name] = replace(expect, form=build, post_done=expect.post_done if done is None else done)


CASE_WRITERS = ("social_worker", "own_team_lead")
_form("casefiles:case_status", lambda p: {"status": "paused", "reason": "Vakantie"}, CASE_WRITERS)
_form("casefiles:question_add", lambda p: {"title": "Werk vinden", "description": ""}, CASE_WRITERS)
_form("casefiles:goal_add", lambda p: {"title": "Sollicitatiebrief", "description": ""}, CASE_WRITERS)
_form("casefiles:agreement_add", lambda p: {"text": "Elke week bellen"}, CASE_WRITERS)
_form("casefiles:note_add", lambda p: {"body": "Gesprek gehad", "visibility": "internal"}, CASE_WRITERS)
_form("casefiles:question_status", lambda p: {"status": "in_progress"}, CASE_WRITERS)
_form("casefiles:goal_status", lambda p: {"status": "achieved"}, CASE_WRITERS)
_form(
    "casefiles:goal_action_add", lambda p: {"description": "Bellen", "owner": "resident", "due_date": ""}, CASE_WRITERS
)
_form("casefiles:resident_comment", lambda p: {"body": "Dat klopt"}, ("resident",))
_form("messaging:send", lambda p: {"body": "Goedemorgen", "client_key": "matrix-send-1"}, ("resident", *CASE_WRITERS))
_form("organisations:user_assign_worker", lambda p: {"worker": p.other_worker.public_id}, ("organisation_admin",))
# The fixtures gave consent for chat; withdrawing it is a change.
_form("blend:resident_consent", lambda p: {"channel": "chat", "is_given": "0"}, ("resident",))
_adjust("blend:resident_consent", "post", other_resident=302, foreign_resident=302)  # nothing to withdraw
_form("pages:preferred_name", lambda p: {"preferred_name": "Fa"}, ("resident", "other_resident", "foreign_resident"))
_form("organisations:teams", lambda p: {"name": "Team Zuid"}, ("organisation_admin", "foreign_admin"))
_form(
    "organisations:location_new",
    lambda p: {
        "name": "Wijkcentrum",
        "street": "Dorpsstraat 1",
        "postcode": "3012 AB",
        "city": "Rivierstad",
        "phone": "010 123 45 69",
        "is_active": "on",
    },
    ("organisation_admin", "foreign_admin"),
)
_form("messaging:message_edit", lambda p: {"body": "Hallo!"}, ("social_worker",))
_form(
    "messaging:group_create",
    lambda p: {"title": "Koffie-uurtje", "residents": [p.resident.public_id]},
    ("social_worker", "own_team_lead"),
)
_form(
    "casefiles:correction_answer",
    lambda p: {"decision": "decline", "answer_text": "Dit klopt wel"},
    CASE_WRITERS,
)
_form(
    "pages:trusted_person_invite",
    lambda p: {
        "first_name": "Tineke",
        "last_name": "Hulp",
        "email": "tineke@example.invalid",
        "scopes": ["appointments"],
        "understood": "on",
    },
    ("resident", "other_resident", "foreign_resident"),
)
# The resident is inside the change deadline: the page says so (200), nothing changes.
_form("appointments:cancel", lambda p: {"reason": "Ik ben ziek"}, CASE_WRITERS)
_adjust("appointments:cancel", "post", social_worker=302, own_team_lead=302)
_adjust("casefiles:handover", "post", social_worker=302, own_team_lead=302)
_form(
    "casefiles:handover",
    lambda p: {"to_worker": p.other_worker.public_id, "from_worker": p.worker.public_id},
    CASE_WRITERS,
)
_form(
    "organisations:user_invite",
    lambda p: {"first_name": "Nina", "last_name": "Nieuw", "email": "nina@example.invalid", "role": "social_worker"},
    ("organisation_admin", "foreign_admin"),
)
_form(
    "appointments:closing_days",
    lambda p: {"day": _a_weekday_in(60).isoformat(), "reason": "Studiedag"},
    ("organisation_admin", "foreign_admin"),
)
_form("diary:rule", lambda p: {"balance_margin": "6"}, ("organisation_admin", "foreign_admin"))
_form(
    "casefiles:document_add",
    lambda p: {"title": "Brief", "file": _a_pdf(), "visibility": "internal"},
    CASE_WRITERS,
)
_form("casefiles:resident_document_add", lambda p: {"title": "Loonstrook", "file": _a_pdf()}, ("resident",))
_form("appointments:session_cancel", lambda p: {"reason": "De trainer is ziek"}, CASE_WRITERS)
# Saved: back to the page with a message (302).
_adjust("appointments:session_cancel", "post", social_worker=302, own_team_lead=302)  # host and own lead only
_adjust("casefiles:resident_document_add", "post", resident=302)  # without a case: the page says so (200)
_adjust("organisations:user_invite", "post", organisation_admin=302, foreign_admin=302)
_adjust("appointments:closing_days", "post", organisation_admin=302, foreign_admin=302)
_adjust("diary:rule", "post", organisation_admin=302, foreign_admin=302)
_adjust("casefiles:correction_answer", "post", social_worker=302, own_team_lead=302)
_adjust("messaging:group_create", "post", social_worker=302, own_team_lead=302)  # others: the resident is no choice
_adjust("messaging:message_edit", "post", social_worker=302)
_adjust("organisations:location_new", "post", organisation_admin=302, foreign_admin=302)
_adjust("pages:trusted_person_invite", "post", resident=302, other_resident=302, foreign_resident=302)
_adjust("pages:preferred_name", "post", resident=302, other_resident=302, foreign_resident=302)
_adjust("organisations:teams", "post", organisation_admin=302, foreign_admin=302)


# --- Where the four later personas differ from the analogy, and what is done ---
# The own team's lead reads the team's case files, opens a chat with the
# resident and may change visibility, but is no participant of the call, no
# member of the worker's groups, and no author of the worker's messages.
# Another resident of the organisation sees and joins the group session.
_adjust("accounts:resident_letter", "post", done=("social_worker", "own_team_lead"))
_adjust("appointments:availability_remove", "post", done=("social_worker",), own_team_lead=404)
_adjust("appointments:call", "get", own_team_lead=404)
_adjust("appointments:closing_day_remove", "post", done=("organisation_admin",))
_adjust("appointments:exception_remove", "post", done=("social_worker",), own_team_lead=404)
_adjust("appointments:group_call", "get", other_resident=404, own_team_lead=404)
_adjust("appointments:request_withdraw", "post", done=("resident",))
_adjust("appointments:session_detail", "get", other_resident=200)
_adjust("appointments:session_signoff", "post", done=("resident",), other_resident=302)
_adjust("appointments:session_signup", "post", done=("other_resident",), other_resident=302)
_adjust("casefiles:document_visibility", "post", done=("social_worker", "own_team_lead"))
_adjust("casefiles:note_visibility", "post", done=("social_worker", "own_team_lead"))
_adjust("messaging:close_visit", "post", done=("social_worker", "team_lead", "colleague", "own_team_lead"))
_adjust("messaging:follow_up", "get", own_team_lead=404)
_adjust("messaging:group_member_remove", "post", done=("resident", "social_worker"), own_team_lead=404)
_adjust("messaging:group_members", "get", own_team_lead=404)
_adjust("messaging:hour_delete", "post", done=("organisation_admin",))
# The lead is told that only the author deletes or reports here (302).
_adjust("messaging:message_delete", "post", done=("social_worker",), own_team_lead=302)
_adjust("messaging:message_edit", "get", own_team_lead=404)
_adjust("messaging:message_report", "post", done=("resident", "social_worker"), own_team_lead=302)
_adjust("messaging:resident_chat", "get", other_resident=200, foreign_resident=200)
_adjust("messaging:staff_chat_open", "post", done=("own_team_lead",))
_adjust("pages:trusted_person_revoke", "post", done=("resident",))


# --- Notifications and the installable app ----------------------------------------------
# Everyone signed in has their own notification settings; a device is only
# its owner's. An empty settings form is a valid choice (nothing on), so it
# is saved. The manifest, the service worker and the offline page are public.
def _a_device_of(user: Any) -> Any:
    from notifications.models import PushSubscription

    return PushSubscription.objects.get_or_create(
        endpoint="https://push.example.invalid/matrix", defaults={"user": user, "p256dh": "x", "auth": "y"}
    )[0]


_MATRIX_SUBSCRIPTION = '{"endpoint": "https://fcm.googleapis.com/fcm/send/matrix-new", "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}'
EXPECTATIONS.update(
    {
        "notifications:settings": Expect(signed_in(200)),
        "notifications:push_subscribe": Expect(
            signed_in(201), method="post", form=lambda p: {"subscription": _MATRIX_SUBSCRIPTION}, done=tuple(SIGNED_IN)
        ),
        "notifications:push_unsubscribe": Expect(
            signed_in(200), method="post", data={"endpoint": "https://push.example.invalid/matrix"}
        ),
        "notifications:device_remove": Expect(
            roles(404, anonymous=LOGIN, resident=302),
            method="post",
            kwargs=lambda p: {"public_id": _a_device_of(p.resident).public_id},
            done=("resident",),
        ),
        "notifications:manifest": Expect(everyone(200)),
        "notifications:service_worker": Expect(everyone(200)),
        "notifications:offline": Expect(everyone(200)),
    }
)
_declare("notifications:settings", "post", cells(302, anonymous="login"), done=tuple(SIGNED_IN))


# --- Activity diary ----------------------------------------------------------------------
# The resident's own diary; a trusted person reaches none of it. The coach's
# week needs the resident's consent for "dagboek", given when the URL is built.
def _a_diary_entry_of(user: Any) -> Any:
    from django.utils import timezone

    from diary.services import EntryData, diary_entry_add

    data = EntryData("Wandelen", timezone.localdate(), None, 30, 2, 4)
    return diary_entry_add(resident=user, added_by=user, data=data, client_key="matrix")


def _a_shared_diary(p: Any) -> dict[str, Any]:
    from blend.services import channel_consent_set

    channel_consent_set(resident=p.resident, channel="diary", is_given=True, recorded_by=p.resident)
    return {"public_id": p.resident.public_id}


def _a_diary_day() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


_DIARY_ENTRY = {"what": "Fietsen", "day": "", "minutes": "20", "effort": "3", "relaxation": "4"}
_diary_entry_id = lambda p: {"public_id": _a_diary_entry_of(p.resident).public_id}  # noqa: E731
_RESIDENT_ONLY = {"resident": 200, "trusted_person": 404}
_RESIDENTS_POSTING = cells(
    403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=302, foreign_resident=302
)
EXPECTATIONS.update(
    {
        name: Expect(staff_page(_RESIDENT_ONLY))
        for name in ("diary:week", "diary:entry_add", "diary:reminder", "diary:export_csv", "diary:print")
    }
)
EXPECTATIONS.update(
    {
        "diary:entry_edit": Expect(staff_page(_RESIDENT_ONLY), kwargs=_diary_entry_id),
        "diary:entry_delete": Expect(
            staff_page({"resident": 302, "trusted_person": 404}),
            method="post",
            kwargs=_diary_entry_id,
            done=("resident",),
        ),
        "diary:staff_week": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=_a_shared_diary),
        "diary:staff_comment": Expect(
            staff_page(CASEWORK_POST),
            method="post",
            kwargs=_a_shared_diary,
            form=lambda p: {"text": "Goed bezig"},
            done=CASE_WRITERS,
        ),
    }
)
_declare("diary:entry_add", "post", _RESIDENTS_POSTING, done=("resident", "other_resident", "foreign_resident"))
_declare("diary:reminder", "post", dict(_RESIDENTS_POSTING), done=("resident", "other_resident", "foreign_resident"))
_declare(
    "diary:entry_edit",
    "post",
    cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=404, foreign_resident=404),
    done=("resident",),
)
_form("diary:entry_add", lambda p: {**_DIARY_ENTRY, "day": _a_diary_day()})
_form("diary:entry_edit", lambda p: {**_DIARY_ENTRY, "day": _a_diary_day()})
_form("diary:reminder", lambda p: {"is_on": "on", "at": "20:00"})


# --- Download of all own data (exports) ---------------------------------------------------
# The resident's own page and exports; a trusted person reaches none of it,
# nor does anyone else reach an export (404). The export is made ready (with
# its encrypted file) when the URL is built.
def _a_ready_export(p: Any) -> dict[str, Any]:
    from exports.building import export_build
    from exports.models import DataExport

    export = DataExport.objects.create(resident=p.resident)
    export_build(export_id=export.pk)
    return {"public_id": export.public_id}


EXPORTS_OWN = cells(403, anonymous=LOGIN, resident=200, trusted_person=404, other_resident=404, foreign_resident=404)
EXPECTATIONS.update(
    {
        "exports:home": Expect(staff_page(_RESIDENT_ONLY)),
        "exports:progress": Expect(dict(EXPORTS_OWN), kwargs=_a_ready_export),
        "exports:download": Expect(dict(EXPORTS_OWN), kwargs=_a_ready_export),
    }
)
_declare("exports:home", "post", dict(_RESIDENTS_POSTING), done=("resident", "other_resident", "foreign_resident"))


# --- Effect measurement (outcomes) ------------------------------------------------------
# The worker's progress page and measurements of ``personas.resident`` (a ZRM
# draft, or a signed-off one, made when the URL is built); the resident's own
# progress page and self-assessment, which a trusted person does not reach.
def _zrm_version(p: Any) -> Any:
    from outcomes.selectors import instrument_versions_current

    versions = instrument_versions_current(organisation_id=p.resident.organisation_id)
    return next(v for v in versions if v.instrument.code == "zrm-2017")


def _a_zrm(p: Any, *, is_signed: bool) -> dict[str, Any]:
    from django.utils import timezone

    from outcomes.services import ScoreInput, measurement_record, measurement_sign_off

    version = _zrm_version(p)
    measurement = measurement_record(
        resident=p.resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate(),
        scored_by=p.worker,
        scores={item.pk: ScoreInput(3) for item in version.items.all()},
    )
    if is_signed:
        measurement = measurement_sign_off(measurement=measurement, signed_off_by=p.worker)
    return {"public_id": measurement.public_id}


def _zrm_form(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "moment": "review",
        "measured_on": timezone.localdate().isoformat(),
        **{f"score_{number}": "4" for number in range(1, 14)},
    }


EXPECTATIONS.update(
    {
        "outcomes:staff_progress": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=resident_id),
        # Aggregates over one's own caseload (a team lead: the team's); names nobody.
        "outcomes:caseload_progress": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "outcomes:staff_measurement_add": Expect(
            staff_page(CASEWORK_ON_CASELOAD),
            kwargs=lambda p: {"public_id": p.resident.public_id, "version_id": _zrm_version(p).public_id},
        ),
        "outcomes:staff_measurement": Expect(
            staff_page(CASEWORK_ON_CASELOAD), kwargs=lambda p: _a_zrm(p, is_signed=False)
        ),
        "outcomes:staff_sign_off": Expect(
            staff_page(CASEWORK_POST), method="post", kwargs=lambda p: _a_zrm(p, is_signed=False), done=CASE_WRITERS
        ),
        "outcomes:staff_share": Expect(
            staff_page(CASEWORK_POST),
            method="post",
            kwargs=lambda p: _a_zrm(p, is_signed=True),
            form=lambda p: {"is_shared": "on"},
            done=CASE_WRITERS,
        ),
        # The organisation's own licensed ZRM indicator texts (no resident data).
        "outcomes:indicator_import": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
        "outcomes:resident_progress": Expect(staff_page(_RESIDENT_ONLY)),
        "outcomes:resident_fill": Expect(staff_page(_RESIDENT_ONLY)),
    }
)
_declare("outcomes:staff_measurement_add", "post", staff_page(CASEWORK_POST), done=CASE_WRITERS)
_declare("outcomes:staff_measurement", "post", staff_page(CASEWORK_POST), done=CASE_WRITERS)
_declare(
    "outcomes:resident_fill", "post", dict(_RESIDENTS_POSTING), done=("resident", "other_resident", "foreign_resident")
)
_form("outcomes:staff_measurement_add", _zrm_form)
_form("outcomes:staff_measurement", _zrm_form)
# Without a file the form is shown again (200): nothing is read in.
_declare("outcomes:indicator_import", "post", staff_page(dict.fromkeys(ADMINS, 200)))
_form("outcomes:resident_fill", lambda p: {"moment": "intake", "score_1": "3", "talk_1": "on"})


# The questionnaire builder: the first organisation's own questionnaire (a
# choice and an open question), made when the URL is built; another
# organisation's admin gets 404. Team and organisation figures name nobody.
def _a_questionnaire(p: Any, *, is_published: bool = False) -> Any:
    from outcomes.services import (
        ItemInput,
        questionnaire_create,
        questionnaire_item_save,
        questionnaire_version_publish,
    )

    instrument = questionnaire_create(
        organisation_id=p.organisation.pk,
        name="Tevredenheid",
        filled_by="both",
        validity_days=None,
        description="",
        created_by=p.admin,
    )
    version = instrument.versions.get()
    for data in (
        ItemInput("Hoe gaat het?", "choice", "", ("Goed", "Niet goed")),
        ItemInput("Wat nog?", "text", "", (), 50),
    ):
        questionnaire_item_save(version=version, data=data, saved_by=p.admin)
    if is_published:
        version = questionnaire_version_publish(version=version, published_by=p.admin)
    return version


_OWN_ADMIN = {"organisation_admin": 200, "foreign_admin": 404}
_OWN_ADMIN_POST = {"organisation_admin": 302, "foreign_admin": 404}
_draft = lambda p: {"version_id": _a_questionnaire(p).public_id}  # noqa: E731
_item_form = lambda p: {"label": "Nieuwe vraag", "answer_type": "text", "options": "", "max_length": "100"}  # noqa: E731
EXPECTATIONS.update(
    {
        "outcomes:organisation_progress": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
        "outcomes:instrument_list": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
        "outcomes:instrument_detail": Expect(
            staff_page(_OWN_ADMIN), kwargs=lambda p: {"public_id": _a_questionnaire(p).instrument.public_id}
        ),
        "outcomes:version_new": Expect(
            staff_page(_OWN_ADMIN_POST),
            method="post",
            kwargs=lambda p: {"public_id": _a_questionnaire(p, is_published=True).instrument.public_id},
            done=("organisation_admin",),
        ),
        "outcomes:version_edit": Expect(staff_page(_OWN_ADMIN), kwargs=_draft),
        "outcomes:version_publish": Expect(
            staff_page(_OWN_ADMIN_POST), method="post", kwargs=_draft, done=("organisation_admin",)
        ),
        "outcomes:item_edit": Expect(staff_page(_OWN_ADMIN), kwargs=lambda p: {**_draft(p), "order": 1}),
        "outcomes:item_change": Expect(
            staff_page(_OWN_ADMIN_POST),
            method="post",
            kwargs=lambda p: {**_draft(p), "order": 1},
            form=lambda p: {"actie": "omlaag"},
            done=("organisation_admin",),
        ),
        # The resident's organisation's questionnaire: a neighbour may fill it in too.
        "outcomes:resident_questionnaire": Expect(
            staff_page({**_RESIDENT_ONLY, "other_resident": 200, "foreign_resident": 404}),
            kwargs=lambda p: {"version_id": _a_questionnaire(p, is_published=True).public_id},
        ),
    }
)
_declare("outcomes:instrument_list", "post", staff_page(dict.fromkeys(ADMINS, 302)), done=ADMINS)
_form(
    "outcomes:instrument_list",
    lambda p: {"name": "Nieuwe lijst", "filled_by": "resident", "validity_days": "", "description": ""},
)
_declare("outcomes:version_edit", "post", staff_page(_OWN_ADMIN_POST), done=("organisation_admin",))
_form("outcomes:version_edit", _item_form)
_declare("outcomes:item_edit", "post", staff_page(_OWN_ADMIN_POST), done=("organisation_admin",))
_form("outcomes:item_edit", _item_form)
_declare(
    "outcomes:resident_questionnaire",
    "post",
    cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=302, foreign_resident=404),
    done=("resident", "other_resident"),
)
_form("outcomes:resident_questionnaire", lambda p: {"moment": "intake", "score_1": "1", "talk_1": "on"})


# --- Privacy officer: requests and the breach register -----------------------------------
# Only the privacy officer of the first organisation reaches these pages
# (everyone else: 403 at the role gate). A request of ``personas.resident``
# and a breach with the resident affected are made when the URL is built.
# The resident's own privacy page is not the trusted person's.
def _a_privacy_request(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    from privacy.services import RequestData, privacy_request_register

    data = RequestData(kind="access", received_on=timezone.localdate(), resident=p.resident)
    return {"public_id": privacy_request_register(officer=p.privacy_officer, data=data).public_id}


def _a_breach(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    from privacy.services import BreachData, breach_affected_add, breach_record

    breach = breach_record(
        officer=p.privacy_officer, data=BreachData(timezone.now(), "Verkeerde ontvanger", "Naam en verslag")
    )
    breach_affected_add(breach=breach, officer=p.privacy_officer, residents=[p.resident])
    return {"public_id": breach.public_id}


def _privacy_extension(p: Any) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.localdate() + timedelta(days=45)
    return {"until": until.isoformat(), "reason": "Veel gegevens", "told": "Brief gestuurd"}


_OFFICER = {"privacy_officer": 200}
_OFFICER_POST = {"privacy_officer": 302}
EXPECTATIONS.update(
    {
        "privacy:requests": Expect(staff_page(_OFFICER)),
        "privacy:request_new": Expect(staff_page(_OFFICER)),
        "privacy:request_detail": Expect(staff_page(_OFFICER), kwargs=_a_privacy_request),
        "privacy:request_extend": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_privacy_request,
            form=_privacy_extension,
            done=("privacy_officer",),
        ),
        "privacy:request_status": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_privacy_request,
            form=lambda p: {"status": "in_progress"},
            done=("privacy_officer",),
        ),
        "privacy:breaches": Expect(staff_page(_OFFICER)),
        "privacy:breach_new": Expect(staff_page(_OFFICER)),
        "privacy:breach_detail": Expect(staff_page(_OFFICER), kwargs=_a_breach),
        "privacy:breach_authority": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_breach,
            form=lambda p: {"not_needed_reason": "Geen risico voor de inwoner"},
            done=("privacy_officer",),
        ),
        "privacy:breach_affected_add": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_breach,
            form=lambda p: {"resident": str(p.other_resident.public_id)},
            done=("privacy_officer",),
        ),
        "privacy:breach_action": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_breach,
            form=lambda p: {"text": "Ontvanger gevraagd de mail te verwijderen"},
            done=("privacy_officer",),
        ),
        "privacy:breach_message": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_breach,
            form=lambda p: {"text": "Er is een verslag naar de verkeerde persoon gestuurd."},
            done=("privacy_officer",),
        ),
        "privacy:mine": Expect(staff_page(_RESIDENT_ONLY)),
    }
)
_declare("privacy:request_new", "post", staff_page(_OFFICER_POST), done=("privacy_officer",))
_declare("privacy:breach_new", "post", staff_page(_OFFICER_POST), done=("privacy_officer",))
_declare("privacy:mine", "post", dict(_RESIDENTS_POSTING), done=("resident", "other_resident", "foreign_resident"))
_form(
    "privacy:request_new",
    lambda p: {"kind": "erasure", "requester_name": "J. de Vries", "received_on": _a_diary_day()},
)
_form(
    "privacy:breach_new",
    lambda p: {
        "discovered_on": _a_diary_day(),
        "discovered_time": "00:00",
        "description": "Laptop kwijt",
        "data_kinds": "Namen",
    },
)
_form("privacy:mine", lambda p: {"kind": "access", "description": "Ik wil mijn gegevens zien."})


# --- Consent register: the resident withdraws one of their own consents from
# their privacy page (anyone else's record: 404); the officer reads a resident's history.
def _a_consent_record(p: Any) -> dict[str, Any]:
    from blend.services import channel_consent_set
    from consents.models import ConsentRecord

    channel_consent_set(resident=p.resident, channel="video", is_given=True, recorded_by=p.resident)
    return {"public_id": ConsentRecord.objects.active().get(subject=p.resident, kind="blend.video").public_id}


EXPECTATIONS.update(
    {
        "privacy:consent_withdraw": Expect(
            cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=404, foreign_resident=404),
            method="post",
            kwargs=_a_consent_record,
            done=("resident",),
        ),
        "privacy:officer_consents": Expect(staff_page(_OFFICER)),
    }
)


# --- Privacy officer: retention (periods, legal holds, destruction register, erasure) ----
def _an_erasure_request(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    from privacy.services import RequestData, privacy_request_register

    data = RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.resident)
    return {"public_id": privacy_request_register(officer=p.privacy_officer, data=data).public_id}


def _a_legal_hold(p: Any) -> dict[str, Any]:
    from privacy.retention import legal_hold_place

    hold = legal_hold_place(officer=p.privacy_officer, resident=p.resident, reason="Klacht bij de rechter")
    return {"public_id": hold.public_id}


EXPECTATIONS.update(
    {
        "privacy:retention": Expect(staff_page(_OFFICER)),
        "privacy:retention_preview": Expect(staff_page(_OFFICER)),
        "privacy:holds": Expect(staff_page(_OFFICER)),
        "privacy:destructions": Expect(staff_page(_OFFICER)),
        "privacy:destructions_csv": Expect(staff_page(_OFFICER)),
        "privacy:hold_lift": Expect(
            staff_page(_OFFICER_POST),
            method="post",
            kwargs=_a_legal_hold,
            form=lambda p: {"reason": "Klacht afgehandeld"},
            done=("privacy_officer",),
        ),
        "privacy:request_erase": Expect(
            staff_page(_OFFICER_POST), method="post", kwargs=_an_erasure_request, done=("privacy_officer",)
        ),
    }
)
_declare("privacy:retention", "post", staff_page(_OFFICER_POST), done=("privacy_officer",))
_declare("privacy:holds", "post", staff_page(_OFFICER_POST), done=("privacy_officer",))
_form(
    "privacy:retention",
    # Every registered class at its default (capabilities add classes), messages shorter.
    lambda p: {f"period_{c.code}": str(c.default) for c in record_classes()} | {"period_messages": "10"},
)
_form("privacy:holds", lambda p: {"inwoner": str(p.resident.public_id), "reason": "Klacht bij de rechter"})


# --- Preparation guides -------------------------------------------------------------------
# The resident's own preparations (a published guide of the organisation,
# given by the worker, with one document uploaded); the worker on the
# caseload (and their team's lead) sees them and moves the documents into
# the case file; the organisation admin edits the organisation's guides.
def _a_preparation(p: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casefiles.tests.files import pdf_bytes
    from preparation.demo import demo_guide_install
    from preparation.services import preparation_item_save, preparation_start

    guide = demo_guide_install(admin=p.admin)
    preparation = preparation_start(guide=guide, resident=p.resident, started_by=p.worker)
    item = guide.items.all()[0]
    result = preparation_item_save(
        preparation=preparation,
        guide_item=item,
        is_done=True,
        note="Uitkering",
        saved_by=p.resident,
        upload=SimpleUploadedFile("uitkering.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    p.preparation_guide = guide
    return preparation, item, result.document


def _a_published_guide(p: Any) -> dict[str, Any]:
    from preparation.demo import demo_guide_install

    p.preparation_guide = demo_guide_install(admin=p.admin)
    return {"public_id": p.preparation_guide.public_id}


_preparation_id = lambda p: {"public_id": _a_preparation(p)[0].public_id}  # noqa: E731


def _preparation_item_ids(p: Any) -> dict[str, Any]:
    preparation, item, _document = _a_preparation(p)
    return {"public_id": preparation.public_id, "item_id": item.public_id}


def _preparation_resident(p: Any) -> dict[str, Any]:
    _a_published_guide(p)
    return {"public_id": p.resident.public_id}


_PREPARATION_OWN_POST = staff_page({"resident": 302, "trusted_person": 404})
EXPECTATIONS.update(
    {
        "preparation:mine": Expect(staff_page(_RESIDENT_ONLY)),
        "preparation:start": Expect(
            cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=302, foreign_resident=404),
            method="post",
            kwargs=_a_published_guide,
            done=("resident", "other_resident"),
        ),
        "preparation:detail": Expect(staff_page(_RESIDENT_ONLY), kwargs=_preparation_id),
        "preparation:item_save": Expect(
            dict(_PREPARATION_OWN_POST),
            method="post",
            kwargs=_preparation_item_ids,
            form=lambda p: {"is_done": "", "note": "Nog zoeken"},
            done=("resident",),
        ),
        "preparation:ready": Expect(
            dict(_PREPARATION_OWN_POST), method="post", kwargs=_preparation_id, done=("resident",)
        ),
        "preparation:document_delete": Expect(
            dict(_PREPARATION_OWN_POST),
            method="post",
            kwargs=lambda p: {"public_id": _a_preparation(p)[2].public_id},
            done=("resident",),
        ),
        "preparation:document_download": Expect(
            roles(404, anonymous=LOGIN, resident=200, social_worker=200),
            kwargs=lambda p: {"public_id": _a_preparation(p)[2].public_id},
        ),
        "preparation:staff_overview": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "preparation:staff_resident": Expect(
            staff_page(CASEWORK_ON_CASELOAD),
            kwargs=_preparation_resident,
            form=lambda p: {"guide": str(p.preparation_guide.public_id)},
            post=staff_page(CASEWORK_POST),
            post_done=CASE_WRITERS,
        ),
        "preparation:staff_detail": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=_preparation_id),
        "preparation:staff_move": Expect(
            staff_page(CASEWORK_POST), method="post", kwargs=_preparation_id, done=CASE_WRITERS
        ),
        "preparation:admin_guides": Expect(
            staff_page(dict.fromkeys(ADMINS, 200)),
            form=lambda p: {"title": "Voorbereiden op een gesprek over werk"},
            post=cells(403, anonymous=LOGIN, organisation_admin=302, foreign_admin=302),
            post_done=("organisation_admin", "foreign_admin"),
        ),
        "preparation:admin_guide": Expect(
            staff_page({"organisation_admin": 200, "foreign_admin": 404}),
            kwargs=_a_published_guide,
            form=lambda p: {
                "title": "Voorbereiden op schuldhulpverlening",
                "intro": "Wat u zelf al kunt klaarleggen.",
                "status": "published",
                "items-TOTAL_FORMS": "0",
                "items-INITIAL_FORMS": "0",
            },
            post=staff_page({"organisation_admin": 302, "foreign_admin": 404}),
            post_done=("organisation_admin",),
        ),
    }
)


# --- E-learning and the library (learning) ------------------------------------------------
# A published module of the first organisation (a text, an image and a
# question step) is open to each of its residents; an article for everyone.
# The worker's pages need the resident on the caseload. Authors are the
# organisation's admins and team leads; a draft module is made for the
# authoring pages that change steps. Objects are stashed on the personas so
# a form can name them.
def _a_learning_module(p: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from learning.services import ChoiceData, StepData, module_create, module_publish, step_add

    if getattr(p, "learning_module", None) is None:
        module = module_create(organisation=p.organisation, created_by=p.admin, title="Hoe stem ik?")
        version = module.versions.get()
        step_add(version=version, added_by=p.admin, data=StepData("text", "Uw stempas", "Neem uw stempas mee."))
        step_add(
            version=version,
            added_by=p.admin,
            data=StepData("image", "Het stembiljet", "Kleur één vakje.", image_alt="Een stembiljet"),
            image=SimpleUploadedFile("stembiljet.png", _a_small_png(), "image/png"),
        )
        step_add(
            version=version,
            added_by=p.admin,
            data=StepData(
                "question",
                "Vraag",
                "Hoeveel?",
                choices=[ChoiceData("1", "Bijna", False), ChoiceData("2", "Goed", True)],
            ),
        )
        step_add(
            version=version,
            added_by=p.admin,
            data=StepData("video", "Filmpje", "Kijk mee."),
            video=SimpleUploadedFile("uitleg.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32, "video/mp4"),
            captions=SimpleUploadedFile("uitleg.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nWelkom\n", "text/vtt"),
        )
        module_publish(version=version, published_by=p.admin)
        module.refresh_from_db()
        p.learning_module = module
    return p.learning_module


def _a_learning_run(p: Any) -> dict[str, Any]:
    from learning.services import module_run_start

    module = _a_learning_module(p)
    module_run_start(module=module, resident=p.resident)
    return {"public_id": module.public_id}


def _learning_first_step(p: Any) -> dict[str, Any]:
    version = _a_learning_module(p).published_version
    return {"step": str(version.steps.get(position=1).public_id)}


def _a_learning_image(p: Any) -> dict[str, Any]:
    return {"public_id": _a_learning_module(p).published_version.steps.get(kind="image").public_id}


def _a_learning_video(p: Any) -> dict[str, Any]:
    return {"public_id": _a_learning_module(p).published_version.steps.get(kind="video").public_id}


def _a_learning_draft(p: Any) -> Any:
    from learning.services import StepData, module_create, step_add

    module = module_create(organisation=p.organisation, created_by=p.admin, title="Concept")
    step_add(version=module.versions.get(), added_by=p.admin, data=StepData("text", "Eerste stap", "Tekst."))
    return module


def _a_learning_article(p: Any) -> dict[str, Any]:
    from learning.services import LibraryItemData, library_item_save

    data = LibraryItemData("Wat is een sociaal wijkteam?", "Een team in uw buurt.", is_published=True)
    return {"public_id": library_item_save(organisation=p.organisation, saved_by=p.admin, data=data).public_id}


def _learning_assigned(p: Any) -> dict[str, Any]:
    from learning.services import module_assign

    module = _a_learning_module(p)
    module_assign(module=module, resident=p.resident, assigned_by=p.worker)
    return {"public_id": p.resident.public_id, "module_id": module.public_id}


def _learning_resident(p: Any) -> dict[str, Any]:
    _a_learning_module(p)
    return {"public_id": p.resident.public_id}


_LEARNER_OBJECT = cells(
    403, anonymous=LOGIN, resident=200, trusted_person=404, other_resident=200, foreign_resident=404
)
_LEARNER_POST = cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=302, foreign_resident=404)
_AUTHORS = cells(403, anonymous=LOGIN, organisation_admin=200, team_lead=200, own_team_lead=200, foreign_admin=200)
_AUTHORS_OBJECT = cells(
    403, anonymous=LOGIN, organisation_admin=200, team_lead=200, own_team_lead=200, foreign_admin=404
)
_AUTHORS_POST = cells(403, anonymous=LOGIN, organisation_admin=302, team_lead=302, own_team_lead=302, foreign_admin=404)
_AUTHORS_DONE = ("organisation_admin", "team_lead", "own_team_lead")
_learning_draft_id = lambda p: {"public_id": _a_learning_draft(p).public_id}  # noqa: E731
_learning_draft_step = lambda p: {"public_id": _a_learning_draft(p).versions.get().steps.get().public_id}  # noqa: E731
_learning_module_id = lambda p: {"public_id": _a_learning_module(p).public_id}  # noqa: E731
EXPECTATIONS.update(
    {
        "learning:home": Expect(staff_page(_RESIDENT_ONLY)),
        "learning:library": Expect(staff_page(_RESIDENT_ONLY)),
        "learning:module": Expect(dict(_LEARNER_OBJECT), kwargs=_learning_module_id),
        "learning:article": Expect(dict(_LEARNER_OBJECT), kwargs=_a_learning_article),
        "learning:module_start": Expect(
            dict(_LEARNER_POST), method="post", kwargs=_learning_module_id, done=("resident", "other_resident")
        ),
        # The resident has a run; the neighbour has none and is told to begin (302).
        "learning:step_save": Expect(
            dict(_LEARNER_POST), method="post", kwargs=_a_learning_run, form=_learning_first_step, done=("resident",)
        ),
        "learning:share": Expect(
            cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=404, foreign_resident=404),
            method="post",
            kwargs=_a_learning_run,
            form=lambda p: {"is_shared": "on"},
            done=("resident",),
        ),
        # Content of a published module, no resident data: everyone of the organisation.
        "learning:image": Expect(
            cells(
                200, anonymous=LOGIN, platform_admin=404, foreign_worker=404, foreign_admin=404, foreign_resident=404
            ),
            kwargs=_a_learning_image,
        ),
        "learning:video": Expect(
            cells(
                200, anonymous=LOGIN, platform_admin=404, foreign_worker=404, foreign_admin=404, foreign_resident=404
            ),
            kwargs=_a_learning_video,
        ),
        "learning:captions": Expect(
            cells(
                200, anonymous=LOGIN, platform_admin=404, foreign_worker=404, foreign_admin=404, foreign_resident=404
            ),
            kwargs=_a_learning_video,
        ),
        "learning:staff_home": Expect(staff_page(dict.fromkeys(CASEWORK, 200))),
        "learning:staff_resident": Expect(
            staff_page(CASEWORK_ON_CASELOAD),
            kwargs=_learning_resident,
            form=lambda p: {"module": str(p.learning_module.public_id)},
            post=staff_page(CASEWORK_POST),
            post_done=CASE_WRITERS,
        ),
        "learning:staff_progress": Expect(staff_page(CASEWORK_ON_CASELOAD), kwargs=_learning_assigned),
        "learning:author_home": Expect(dict(_AUTHORS)),
        # Only the admin chooses authors; posted without a worker, nothing changes.
        "learning:authors": Expect(
            cells(403, anonymous=LOGIN, organisation_admin=302, foreign_admin=302), method="post", done=()
        ),
        "learning:module_new": Expect(
            dict(_AUTHORS),
            form=lambda p: {"title": "Nieuwe module"},
            post=cells(
                403, anonymous=LOGIN, organisation_admin=302, team_lead=302, own_team_lead=302, foreign_admin=302
            ),
            post_done=(*_AUTHORS_DONE, "foreign_admin"),
        ),
        # Published without a draft: a change is refused with a message (302).
        "learning:module_edit": Expect(
            dict(_AUTHORS_OBJECT),
            kwargs=_learning_module_id,
            form=lambda p: {"title": "Andere titel"},
            post=dict(_AUTHORS_POST),
        ),
        "learning:module_draft": Expect(
            dict(_AUTHORS_POST), method="post", kwargs=_learning_module_id, done=_AUTHORS_DONE
        ),
        "learning:module_publish": Expect(
            dict(_AUTHORS_POST), method="post", kwargs=_learning_draft_id, done=_AUTHORS_DONE
        ),
        "learning:step_add": Expect(
            dict(_AUTHORS_OBJECT),
            kwargs=_learning_draft_id,
            form=lambda p: {"soort": "text", "title": "Nieuwe stap", "body_markdown": "Tekst."},
            post=dict(_AUTHORS_POST),
            post_done=_AUTHORS_DONE,
        ),
        "learning:step_edit": Expect(
            dict(_AUTHORS_OBJECT),
            kwargs=_learning_draft_step,
            form=lambda p: {"title": "Gewijzigd", "body_markdown": "Andere tekst."},
            post=dict(_AUTHORS_POST),
            post_done=_AUTHORS_DONE,
        ),
        "learning:step_delete": Expect(
            dict(_AUTHORS_POST), method="post", kwargs=_learning_draft_step, done=_AUTHORS_DONE
        ),
        "learning:article_new": Expect(
            dict(_AUTHORS),
            form=lambda p: {"title": "Nieuw artikel", "body_markdown": "Tekst."},
            post=cells(
                403, anonymous=LOGIN, organisation_admin=302, team_lead=302, own_team_lead=302, foreign_admin=302
            ),
            post_done=(*_AUTHORS_DONE, "foreign_admin"),
        ),
        "learning:article_edit": Expect(
            dict(_AUTHORS_OBJECT),
            kwargs=_a_learning_article,
            form=lambda p: {"title": "Gewijzigd", "body_markdown": "Andere tekst."},
            post=dict(_AUTHORS_POST),
            post_done=_AUTHORS_DONE,
        ),
    }
)


# --- Blended trainings (learning, issue 12 part 4) ---------------------------------------
# A training hosted by the worker, with one session on its schedule. The
# resident's pages: published trainings for the organisation's residents.
# The manager's pages: the organisation's authors (admin, team leads) and
# the host; a colleague who does not host it gets 404. Adding a participant
# is for casework staff with the resident on their caseload.
def _a_training(p: Any, *, publish: bool = True, participant: bool = False) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from appointments.services import group_session_plan
    from learning.trainings import training_publish, training_save, training_session_attach, training_sign_up

    training = training_save(
        organisation=p.organisation,
        saved_by=p.admin,
        title="Assertiviteit",
        description="Leer nee zeggen.",
        host=p.worker,
        capacity=10,
    )
    session = group_session_plan(
        host=p.worker,
        title="Assertiviteit 1",
        description="",
        kind="face_to_face",
        location=p.demo.location,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=90,
        capacity=10,
    )
    training_session_attach(training=training, session=session, by=p.admin)
    if publish:
        training_publish(training=training, by=p.admin)
    if participant:
        training_sign_up(training=training, resident=p.resident)
    return training


def _training_with_free_session(p: Any) -> dict[str, Any]:
    """The training, and a session not yet on its schedule (made before the requests)."""
    from datetime import timedelta

    from django.utils import timezone

    from appointments.services import group_session_plan

    p.free_session = group_session_plan(
        host=p.worker,
        title="Extra bijeenkomst",
        description="",
        kind="face_to_face",
        location=p.demo.location,
        starts_at=timezone.now() + timedelta(days=14),
        minutes=60,
        capacity=10,
    )
    return {"public_id": _a_training(p).public_id}


_training_id = lambda p: {"public_id": _a_training(p).public_id}  # noqa: E731


def _training_and_module(p: Any) -> dict[str, Any]:
    """The training, and a published module made before the requests."""
    _a_learning_module(p)
    return {"public_id": _a_training(p).public_id}


def _resident_and_training(p: Any) -> dict[str, Any]:
    """The resident's page, and a published training made before the requests."""
    p.learning_training = _a_training(p)
    return {"public_id": p.resident.public_id}


_training_joined = lambda p: {"public_id": _a_training(p, participant=True).public_id}  # noqa: E731
_training_draft = lambda p: {"public_id": _a_training(p, publish=False).public_id}  # noqa: E731
_TRAINING_STAFF = cells(
    403,
    anonymous=LOGIN,
    social_worker=200,
    colleague=200,
    team_lead=200,
    own_team_lead=200,
    organisation_admin=200,
    foreign_worker=200,
    foreign_admin=200,
)
_TRAINING_MANAGERS = cells(
    403,
    anonymous=LOGIN,
    social_worker=200,
    colleague=404,
    team_lead=200,
    own_team_lead=200,
    organisation_admin=200,
    foreign_worker=404,
    foreign_admin=404,
)
_TRAINING_MANAGERS_POST = {k: 302 if v == 200 else v for k, v in _TRAINING_MANAGERS.items()}
_TRAINING_DONE = ("social_worker", "team_lead", "own_team_lead", "organisation_admin")
EXPECTATIONS.update(
    {
        "learning:training_list": Expect(staff_page(_RESIDENT_ONLY)),
        "learning:training": Expect(dict(_LEARNER_OBJECT), kwargs=_training_id),
        "learning:training_sign_up": Expect(
            dict(_LEARNER_POST), method="post", kwargs=_training_id, done=("resident", "other_resident")
        ),
        # The neighbour takes no part: told so (302), nothing changes.
        "learning:training_leave": Expect(
            dict(_LEARNER_POST), method="post", kwargs=_training_joined, done=("resident",)
        ),
        "learning:training_manage_list": Expect(dict(_TRAINING_STAFF)),
        # Only authors make a training; a social worker is refused at the gate.
        "learning:training_new": Expect(
            dict(_AUTHORS),
            form=lambda p: {"title": "Solliciteren", "host": str(p.worker.public_id), "capacity": "8"},
            # The other organisation's admin cannot choose this worker: the form answers (200).
            post=cells(
                403, anonymous=LOGIN, organisation_admin=302, team_lead=302, own_team_lead=302, foreign_admin=200
            ),
            post_done=_AUTHORS_DONE,
        ),
        "learning:training_manage": Expect(dict(_TRAINING_MANAGERS), kwargs=_training_id),
        "learning:training_edit": Expect(
            dict(_TRAINING_MANAGERS),
            kwargs=_training_id,
            form=lambda p: {"title": "Assertief", "host": str(p.worker.public_id), "capacity": "9"},
            post=dict(_TRAINING_MANAGERS_POST),
            post_done=_TRAINING_DONE,
        ),
        "learning:training_publish": Expect(
            dict(_TRAINING_MANAGERS_POST), method="post", kwargs=_training_draft, done=_TRAINING_DONE
        ),
        "learning:training_close": Expect(
            dict(_TRAINING_MANAGERS_POST), method="post", kwargs=_training_id, done=_TRAINING_DONE
        ),
        "learning:training_session_attach": Expect(
            dict(_TRAINING_MANAGERS_POST),
            method="post",
            kwargs=_training_with_free_session,
            form=lambda p: {"session": str(p.free_session.public_id)},
            done=_TRAINING_DONE,
        ),
        "learning:training_modules": Expect(
            dict(_TRAINING_MANAGERS_POST),
            method="post",
            kwargs=_training_and_module,
            form=lambda p: {"modules": [str(p.learning_module.public_id)]},
            done=_TRAINING_DONE,
        ),
        # From the resident's learning page: a worker with the resident on the caseload.
        "learning:staff_training_sign_up": Expect(
            cells(
                403,
                anonymous=LOGIN,
                social_worker=302,
                colleague=404,
                team_lead=404,
                own_team_lead=302,
                foreign_worker=404,
            ),
            method="post",
            kwargs=_resident_and_training,
            form=lambda p: {"training": str(p.learning_training.public_id)},
            done=("social_worker", "own_team_lead"),
        ),
        # Casework staff who manage it, for a resident on their caseload; the
        # other team's lead does not have the resident (the form answers, 200).
        "learning:training_participant_add": Expect(
            {**_TRAINING_MANAGERS_POST, "organisation_admin": 404, "team_lead": 200},
            method="post",
            kwargs=_training_id,
            form=lambda p: {"resident": str(p.resident.public_id)},
            done=("social_worker", "own_team_lead"),
        ),
    }
)


# --- Benchmark (issue 14, parts 5 and 6) ------------------------------------------------
# Aggregates only, never a resident: team leads, organisation admins and
# researchers (of either organisation) reach the group pages and exports;
# every other role is refused at the role gate (403). The exports' rows
# publish the last ended quarter first (once), so they answer with a file.
def _a_published_benchmark(p: Any) -> dict[str, Any]:
    from django.utils import timezone

    from benchmark.quarters import Quarter
    from benchmark.selectors import periods_final
    from benchmark.services import benchmark_compute

    if not periods_final():
        benchmark_compute(quarter=Quarter.containing(timezone.localdate()).previous)
    return {}


_BENCHMARK = {
    "team_lead": 200,
    "organisation_admin": 200,
    "researcher": 200,
    "foreign_admin": 200,
    "own_team_lead": 200,
    "colleague": 403,
}
EXPECTATIONS.update(
    {
        "benchmark:dashboard": Expect(staff_page(_BENCHMARK), kwargs=_a_published_benchmark),
        "benchmark:export_csv": Expect(staff_page(_BENCHMARK), kwargs=_a_published_benchmark),
        "benchmark:export_xlsx": Expect(staff_page(_BENCHMARK), kwargs=_a_published_benchmark),
        "benchmark:export_json": Expect(staff_page(_BENCHMARK), kwargs=_a_published_benchmark),
        # The organisation's own choice to be named to the others.
        "benchmark:naming": Expect(staff_page(dict.fromkeys(ADMINS, 200))),
    }
)
_declare("benchmark:naming", "post", staff_page(dict.fromkeys(ADMINS, 302)), done=ADMINS)
_form("benchmark:naming", lambda p: {"is_named": "on"})


# --- Experience survey (issue 14, part 4) ------------------------------------------------
# The resident's own survey about a contact (the offer is made when the URL
# is built); nobody else reaches it (404), a trusted person neither. The
# results per channel are aggregates for team leads and organisation admins.
def _a_feedback_offer(p: Any) -> dict[str, Any]:
    import uuid

    from django.utils import timezone

    from feedback.contacts import Contact
    from feedback.services import feedback_offer_make

    contact = Contact("appointment", uuid.uuid4(), p.resident.pk, p.resident.organisation_id, "phone", timezone.now())
    offer = feedback_offer_make(contact=contact)
    assert offer is not None
    return {"public_id": offer.public_id}


_FEEDBACK_RESULTS = {
    "team_lead": 200,
    "organisation_admin": 200,
    "foreign_admin": 200,
    "own_team_lead": 200,
    "colleague": 403,
}
EXPECTATIONS.update(
    {
        "feedback:survey": Expect(staff_page(_RESIDENT_ONLY), kwargs=_a_feedback_offer),
        "feedback:thanks": Expect(staff_page({"resident": 200, "trusted_person": 200})),
        "feedback:preference": Expect(staff_page(_RESIDENT_ONLY)),
        "feedback:results": Expect(staff_page(_FEEDBACK_RESULTS)),
    }
)
_declare(
    "feedback:survey",
    "post",
    cells(403, anonymous=LOGIN, resident=302, trusted_person=404, other_resident=404, foreign_resident=404),
    done=("resident",),
)
_declare(
    "feedback:preference", "post", dict(_RESIDENTS_POSTING), done=("resident", "other_resident", "foreign_resident")
)
_form("feedback:survey", lambda p: {"keuze": "answer", "score": "4", "again": "yes", "remark": ""})
_form("feedback:preference", lambda p: {"is_opted_out": "on"})

for _name, _takes in url_patterns().items():
    if _name in EXPECTATIONS:
        EXPECTATIONS[_name] = _complete(_name, EXPECTATIONS[_name], _takes)


def test_every_url_pattern_has_an_expectation() -> None:
    names = url_pattern_names()
    missing = sorted(names - EXPECTATIONS.keys())
    stale = sorted(EXPECTATIONS.keys() - names)
    assert not missing, f"URL patterns without an authorization expectation: {missing}"
    assert not stale, f"Expectations for URL patterns that no longer exist: {stale}"


def test_every_expectation_names_every_persona_for_every_method() -> None:
    for name, expect in EXPECTATIONS.items():
        assert expect.method in METHODS, name
        for method, (table, done) in expect.tables().items():
            assert set(table) == set(ALL_ROLES), (name, method)
            assert set(done) <= {r for r, outcome in table.items() if outcome not in DENIALS}, (name, method)
        assert expect.done == () or expect.method != "get", f"{name}: a GET does not change anything"


def _is_third_party(url_name: str) -> bool:
    """django-allauth's class-based views and Django's ``set_language`` treat
    PUT like POST (and PATCH/DELETE by their own rules); they are asked with
    GET and POST only. Every view of our own is asked with all five methods."""
    return url_name.startswith(("account_", "mfa_", "usersessions_")) or url_name == "set_language"


def _a_small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5fa8").save(out, format="PNG")
    return out.getvalue()


def _observed(response: Any) -> int | str:
    if response.status_code == 302:
        location = response.headers.get("Location", "")
        if "/accounts/login/" in location:
            return LOGIN
        if location == "/":
            return HOME
    return int(response.status_code)


# --- The database fingerprint -------------------------------------------------------
# Every table's rows, except the ones that change on any request by design:
# the access log (refusals are logged too), the session stores and the
# shared cache table (rate-limit counters).
UNFINGERPRINTED_APPS = frozenset({"audit", "sessions", "usersessions", "ratelimits"})


def _fingerprinted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNFINGERPRINTED_APPS and model._meta.managed
    }
    return sorted(tables)


def _fingerprint() -> dict[str, int]:
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in _fingerprinted_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model table names
            out[table] = hash(tuple(sorted(repr(row) for row in cursor.fetchall())))
    return out


@dataclass
class Answer:
    outcome: int | str
    changed: list[str]
    text: str

    def describe(self) -> str:
        return f"{self.outcome}" + (f" and changed {self.changed}" if self.changed else "")


def _ask(client: Client, method: str, url: str, data: dict[str, Any], base: dict[str, int]) -> Answer:
    """One request in a savepoint that is rolled back; ``base`` is the
    fingerprint of the database as every request finds it."""
    cache.clear()
    cookies = client.cookies
    client.cookies = SimpleCookie(cookies)
    with transaction.atomic():
        if method in ("get", "post"):
            response = getattr(client, method)(url, data=data)
        else:
            response = client.generic(method.upper(), url)
        outcome = _observed(response)
        # A GET changes nothing we assert on; a 405 never reached the view.
        after = _fingerprint() if method != "get" and outcome != 405 else base
        transaction.set_rollback(True)
    # A sign-out or a sign-in rolled back in the database must not linger
    # in the client either.
    client.cookies = cookies
    changed = sorted(table for table in base if base[table] != after.get(table))
    text = ""
    if not response.streaming and response.headers.get("Content-Type", "").startswith(("text/", "application/json")):
        text = response.content.decode(errors="replace")
    return Answer(outcome, changed, text)


def _expected_text(outcome: int | str, is_done: bool) -> str:
    return f"{outcome}" + (" and a change" if is_done else "")


def _names_hidden_from(personas: MatrixPersonas) -> dict[str, list[str]]:
    """Per persona: the first organisation's residents whose names must never
    appear on any page they are shown."""
    from organisations.models import CaseloadAssignment

    residents = list(personas.demo.residents)
    everyone_ = [r.get_full_name() for r in residents] + [personas.trusted_person.get_full_name()]
    colleague_caseload = set(
        CaseloadAssignment.objects.filter(worker=personas.other_worker).values_list("resident_id", flat=True)
    )
    return {
        **dict.fromkeys(FOREIGN, everyone_),
        "colleague": [r.get_full_name() for r in residents if r.pk not in colleague_caseload],
        "other_resident": [r.get_full_name() for r in residents if r.pk != personas.other_resident.pk],
    }


def _prepare(personas: MatrixPersonas) -> None:
    organisation_update(
        organisation=personas.organisation,
        name=personas.organisation.name,
        brand_colour=personas.organisation.brand_colour,
        phone=personas.organisation.phone,
        logo=_a_small_png(),
    )
    personas.casefile = casefile_objects(personas)  # type: ignore[attr-defined]


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_authorization_matrix(url_name: str, matrix_personas: MatrixPersonas) -> None:
    """The table, then the methods nobody declared, then the two rules:
    nothing crosses organisations, and no page names someone else's resident."""
    personas = matrix_personas
    expect = EXPECTATIONS[url_name]
    _prepare(personas)
    url = reverse(url_name, kwargs=expect.kwargs(personas))
    clients = {role: client_for(user) for role, user in personas.by_role().items()}
    base = _fingerprint()
    hidden = _names_hidden_from(personas)
    tables = expect.tables()

    def form() -> dict[str, Any]:
        # Built anew for every request: an uploaded file is read only once.
        return {**expect.data, **(expect.form(personas) if expect.form else {})}

    is_object_url = url_patterns()[url_name] and url_name not in NOT_A_FIRST_ORGANISATION_OBJECT
    answers: dict[tuple[str, str], Answer] = {}
    mismatches: dict[str, str] = {}
    for method, (table, done) in tables.items():
        for role in ALL_ROLES:
            answer = answers[method, role] = _ask(
                clients[role], method, url, form() if method == "post" else expect.data, base
            )
            got = (answer.outcome, bool(answer.changed))
            wanted = (table[role], role in done)
            if method == "get":
                got, wanted = (got[0], False), (wanted[0], False)
            if got != wanted:
                mismatches[f"{method.upper()} {role}"] = f"expected {_expected_text(*wanted)}, got {answer.describe()}"
    # A method nobody declared: whoever the view lets in must get 405; the
    # second organisation's people are asked too on an object URL.
    allowed = sorted(
        {role for table, _ in tables.values() for role, outcome in table.items() if outcome not in DENIALS}
    )
    for method in METHODS:
        if method in tables or (method not in ("get", "post") and _is_third_party(url_name)):
            continue
        askers = allowed or ALL_ROLES
        if os.environ.get("MATRIX_DISCOVER"):
            askers = ALL_ROLES
        if is_object_url:
            askers = sorted({*askers, *FOREIGN})
        for role in askers:
            answer = answers[method, role] = _ask(clients[role], method, url, form() if method == "post" else {}, base)
            if (role in allowed and answer.outcome != 405) or answer.outcome not in DENIALS or answer.changed:
                mismatches[f"{method.upper()} {role}"] = (
                    f"expected 405 (method not declared for this page), got {answer.describe()}"
                )
    if os.environ.get("MATRIX_DISCOVER"):
        for method in METHODS:
            if (method, "resident") not in answers:
                continue
            observed = {role: answers[method, role] for role in ALL_ROLES}
            print(
                f"\n{url_name} {method.upper()} {url}: "
                + repr({r: a.outcome for r, a in observed.items()})
                + f" done={tuple(r for r, a in observed.items() if a.changed)}"
            )
    crossings = {
        f"{method.upper()} {role}": answer.describe()
        for (method, role), answer in answers.items()
        if is_object_url and role in FOREIGN and (answer.outcome not in DENIALS or answer.changed)
    }
    refusals_that_changed = {
        f"{method.upper()} {role}": answer.describe()
        for (method, role), answer in answers.items()
        if answer.outcome in DENIALS and answer.changed
    }
    leaks = {
        f"{method.upper()} {role}": sorted(name for name in hidden[role] if name in answer.text)
        for (method, role), answer in answers.items()
        if role in hidden and any(name in answer.text for name in hidden[role])
    }
    assert not crossings, f"{url}: the second organisation reached a first-organisation object: {crossings}"
    assert not refusals_that_changed, f"{url}: refused, yet the database changed: {refusals_that_changed}"
    assert not leaks, f"{url}: names of residents shown to someone who may not see them: {leaks}"
    assert not mismatches, f"{url}: {mismatches}"


# --- List pages: whose names they show ------------------------------------------------
# Every page without a URL argument is asked with GET by the people who must
# not see the first organisation's residents (or, for the colleague and the
# neighbour, residents not theirs), with a search for the resident where the
# page searches. ``SEARCHES`` also says which answer must name the resident
# for their own worker: a search that finds nothing proves nothing.
SEARCHES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "organisations:caseload": lambda p: {"zoek": p.resident.first_name},
    "messaging:search": lambda p: {"q": "Hallo"},
    "audit:access_log": lambda p: {"subject": p.resident.public_id},
    "organisations:users": lambda p: {"soort": "residents"},
}
# What marks the resident on the page: their name, or for the message search
# (which shows authors and message text) the link to their conversation.
MARKERS: dict[str, Callable[[Any], str]] = {
    "messaging:search": lambda p: str(p.casefile["conversation"].public_id),
}
NAME_SHOWN_TO = {
    "organisations:caseload": "social_worker",
    "messaging:search": "social_worker",
    "audit:access_log": "privacy_officer",
    "organisations:users": "organisation_admin",
}


def test_list_pages_never_name_residents_of_another_caseload(matrix_personas: MatrixPersonas) -> None:
    personas = matrix_personas
    _prepare(personas)
    clients = {role: client_for(user) for role, user in personas.by_role().items()}
    base = _fingerprint()
    hidden = _names_hidden_from(personas)
    pages = sorted(name for name, takes in url_patterns().items() if not takes and EXPECTATIONS[name].method == "get")
    assert set(SEARCHES) <= set(pages)
    leaks: dict[str, list[str]] = {}
    unproven: list[str] = []
    for name in pages:
        url = reverse(name)
        query = SEARCHES.get(name, lambda p: {})(personas)
        marker = MARKERS.get(name, lambda p: p.resident.get_full_name())(personas)
        for role, names in hidden.items():
            answer = _ask(clients[role], "get", url, query, base)
            shown = sorted(n for n in {*names, marker} if n in answer.text)
            if shown:
                leaks[f"GET {url} {query} as {role}"] = shown
        if name in NAME_SHOWN_TO:
            answer = _ask(clients[NAME_SHOWN_TO[name]], "get", url, query, base)
            if marker not in answer.text:
                unproven.append(f"GET {url} {query} as {NAME_SHOWN_TO[name]}")
    assert not leaks, f"names of residents shown to someone who may not see them: {leaks}"
    assert not unproven, f"these searches do not find the resident for their own worker, so prove nothing: {unproven}"
