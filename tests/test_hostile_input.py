"""Every form, fed hostile input by a person allowed to use it, answers with a
page (a message or a redirect), never a server error.

The forms are found by reading each page: every ``<form method="post">`` on
the pages below is posted with each kind of hostile value in every field.
The Django test client re-raises any exception a view lets escape, so a
crash fails the test with its traceback.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache

from conftest import Personas, client_for

HOSTILE_VALUES = [
    "",
    " ",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE accounts_user;--",
    "\u202egnp.exe",  # right-to-left override
    "a\u200bb",  # zero-width space
    "nul\x00byte",
    "😀" * 300,
    "../../etc/passwd",
    '=HYPERLINK("http://evil.example")',
    "-1",
    "99999999999999999999999",
    "2026-02-30",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
]

# (role, path): pages with forms, each as the role that may use it.
FORM_PAGES = [
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/activeren/"),
    ("anonymous", "/accounts/password/reset/"),
    ("anonymous", "/weergave/"),
    ("resident", "/mijn/vertrouwenspersonen/nieuw/"),
    ("resident", "/accounts/password/change/"),
    ("social_worker", "/werk/inwoners/uitnodigen/"),
    ("social_worker", "/werk/"),
    ("organisation_admin", "/beheer/organisatie/"),
    ("organisation_admin", "/beheer/teams/"),
    ("organisation_admin", "/beheer/locaties/nieuw/"),
    ("organisation_admin", "/beheer/gebruikers/uitnodigen/"),
    ("organisation_admin", "/beheer/gebruikers/{resident}/"),
    ("privacy_officer", "/privacy/toegangslog/"),
    ("platform_admin", "/platform/organisaties/nieuw/"),
    # The case file and the blend plan, once the resident has a case with
    # one of everything (``casefile_for_forms``).
    ("social_worker", "/werk/inwoners/{resident}/dossier/"),
    ("social_worker", "/werk/inwoners/{resident}/samenwerken/"),
    ("social_worker", "/werk/dossiers/{case}/overdragen/"),
    ("social_worker", "/werk/correcties/{correction}/"),
    ("resident", "/mijn/dossier/"),
    ("resident", "/mijn/dossier/document-toevoegen/"),
    ("resident", "/mijn/dossier/note/{note}/correctie/"),
    ("resident", "/mijn/samenwerken/"),
    # Messaging, once the resident switched chat on and has a conversation
    # and a group with messages (``messaging_for_forms``).
    ("resident", "/berichten/{conversation}/"),
    ("resident", "/berichten/bericht/{message}/wijzigen/"),
    ("resident", "/berichten/zoeken/"),
    ("social_worker", "/berichten/{group}/"),
    ("social_worker", "/berichten/{group}/deelnemers/"),
    ("social_worker", "/berichten/groep/nieuw/"),
]
CASEFILE_PAGES = ("/dossier/", "/samenwerken/", "/dossiers/", "/correcties/")
MESSAGING_PAGES = ("/berichten/",)

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD_RE = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)


def forms_on(html: str, page_path: str) -> list[tuple[str, str, list[str]]]:
    """(method, action, field names) of each form on the page."""
    found = []
    for attributes, body in FORM_RE.findall(html):
        method = re.search(r'method="(\w+)"', attributes)
        action = re.search(r'action="([^"]*)"', attributes)
        names = sorted({n for n in FIELD_RE.findall(body) if n != "csrfmiddlewaretoken"})
        target = unescape(action.group(1)) if action and action.group(1) else page_path
        found.append(((method.group(1).lower() if method else "get"), target, names))
    return found


def casefile_for_forms(personas: Personas) -> dict[str, Any]:
    """A case of ``personas.resident`` with a question, a goal with a step,
    an agreement, a shared note and an open correction request on another
    note, so that every form of the case-file pages is on the page."""
    from casefiles import services

    worker, resident = personas.worker, personas.resident
    case = services.case_open(resident=resident, opened_by=worker)
    question = services.question_add(case=case, title="Schulden", description="", added_by=worker)
    goal = services.goal_add(
        case=case, title="Grip op geld", description="", question=question, target_date=None, added_by=worker
    )
    services.goal_action_add(goal=goal, description="Post sorteren", owner="resident", due_date=None, added_by=worker)
    services.agreement_add(case=case, text="Ik bel de bank", added_by=worker)
    note = services.note_add(case=case, body="Gedeeld", is_shared=True, author=worker)
    corrected = services.note_add(case=case, body="Te verbeteren", is_shared=True, author=worker)
    correction = services.correction_request_add(resident=resident, kind="note", item=corrected, text="Klopt niet")
    return {"case": case.public_id, "note": note.public_id, "correction": correction.public_id}


def messaging_for_forms(personas: Personas) -> dict[str, Any]:
    """The resident's conversation with a message of each side, and a group
    of the worker with the resident in it, so that every messaging form
    (send, edit, delete, report, hide, add and remove members) is on a page."""
    from blend.services import channel_consent_set
    from messaging import services

    worker, resident = personas.worker, personas.resident
    channel_consent_set(resident=resident, channel="chat", is_given=True, recorded_by=resident)
    conversation = services.conversation_direct_open(resident=resident, opened_by=worker)
    message = services.message_send(
        conversation=conversation, author=resident, body="Hallo", client_key="form-key-0001"
    ).message
    services.message_send(conversation=conversation, author=worker, body="Dag", client_key="form-key-0002")
    group = services.conversation_group_create(title="Groep", created_by=worker, residents=[resident])
    services.message_send(conversation=group, author=resident, body="Hoi groep", client_key="form-key-0003")
    return {"conversation": conversation.public_id, "message": message.public_id, "group": group.public_id}


def _is_page(response: Any) -> bool:
    return response.status_code < 500


@pytest.mark.parametrize(("role", "path"), FORM_PAGES)
def test_hostile_input_never_breaks_a_form(personas: Personas, role: str, path: str) -> None:
    user = personas.by_role()[role]
    ids: dict[str, Any] = {"resident": personas.resident.public_id}
    if any(part in path for part in CASEFILE_PAGES):
        ids.update(casefile_for_forms(personas))
    if path.startswith(MESSAGING_PAGES):
        ids.update(messaging_for_forms(personas))
    page_path = path.format(**ids)
    client = client_for(user)
    page = client.get(page_path)
    assert page.status_code == 200, page_path
    forms = [f for f in forms_on(page.content.decode(), page_path) if f[2]]
    assert forms, f"no form found on {page_path}"
    for method, action, names in forms:
        if action.startswith(("/accounts/logout/", "/i18n/")):
            continue
        for value in HOSTILE_VALUES:
            cache.clear()  # rate limits would otherwise answer before the form
            data = dict.fromkeys(names, value)
            response = client.post(action, data) if method == "post" else client.get(action, data)
            assert _is_page(response), f"{method.upper()} {action} with {value[:30]!r}: {response.status_code}"
        # Wrong types: several values for one field, and no fields at all.
        data_lists = {name: ["a", "b"] for name in names}
        assert _is_page(client.post(action, data_lists) if method == "post" else client.get(action, data_lists))
        assert _is_page(client.post(action, {}) if method == "post" else client.get(action))


def test_a_request_body_over_the_limit_is_refused_plainly(personas: Personas) -> None:
    client = client_for(personas.admin)
    response = client.post("/beheer/teams/", {"name": "x" * 3_000_000})
    assert response.status_code == 400
