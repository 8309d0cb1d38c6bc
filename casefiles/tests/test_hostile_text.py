"""Hostile text in the case-file and blend forms: invisible direction
overrides, NUL bytes and very long text get a clear message and store
nothing; markup gets a message in one-line fields and is kept as plain,
escaped text in multi-line fields (a note may say "score < 5"). (tests/test_hostile_input.py posts every value to every
form on these pages and checks that none answers with a server error.)"""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest

from blend.models import BlendPlan
from casefiles import services
from casefiles.models import Case, Note
from casefiles.tests.helpers import casefile_state, dossier_url, messages_of
from conftest import Personas, client_for

MARKUP = "<script>alert(1)</script>"
HOSTILE = {
    "right-to-left override": ("Rekening \u202efdp.exe", "Deze tekst bevat onzichtbare of speciale tekens."),
    "zero-width space": ("Be\u200btaald", "Deze tekst bevat onzichtbare of speciale tekens."),
    "nul byte": ("nul\x00byte", "Deze tekst bevat onzichtbare of speciale tekens."),
}


@pytest.fixture
def note(personas: Personas, case: Case) -> Note:
    return services.note_add(case=case, body="Gedeeld", is_shared=True, author=personas.worker)


def post_as(personas: Personas, who: str, url: str, data: dict[str, Any]) -> list[str]:
    response = client_for(getattr(personas, who)).post(url, data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        return [unescape(response.content.decode())]
    return messages_of(response)


FORMS = {
    "note": ("worker", "/werk/dossiers/{case}/notities/", "body", {"visibility": "shared"}),
    "agreement": ("worker", "/werk/dossiers/{case}/afspraken/", "text", {}),
    "goal": ("worker", "/werk/dossiers/{case}/doelen/", "title", {}),
    "question": ("worker", "/werk/dossiers/{case}/hulpvragen/", "title", {}),
    "status reason": ("worker", "/werk/dossiers/{case}/status/", "reason", {"status": "paused"}),
    "comment": ("resident", "/mijn/dossier/note/{note}/reageren/", "body", {}),
    "correction request": ("resident", "/mijn/dossier/note/{note}/correctie/", "text", {}),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_text_gets_a_clear_message_and_stores_nothing(
    personas: Personas, case: Case, note: Note, form: str, kind: str
) -> None:
    who, path, field, extra = FORMS[form]
    value, message = HOSTILE[kind]
    before = casefile_state(case)

    shown = post_as(personas, who, path.format(case=case.public_id, note=note.public_id), {field: value, **extra})

    assert any(message in text for text in shown), shown
    assert casefile_state(case) == before


@pytest.mark.parametrize("form", ["agreement", "goal", "question", "status reason"])
def test_markup_in_a_one_line_field_gets_a_clear_message_and_stores_nothing(
    personas: Personas, case: Case, note: Note, form: str
) -> None:
    who, path, field, extra = FORMS[form]
    before = casefile_state(case)

    shown = post_as(personas, who, path.format(case=case.public_id, note=note.public_id), {field: MARKUP, **extra})

    assert any("Gebruik geen < of > in deze tekst." in text for text in shown), shown
    assert casefile_state(case) == before


def test_markup_in_notes_comments_and_corrections_is_kept_as_escaped_text(
    personas: Personas, case: Case, note: Note
) -> None:
    worker, resident = client_for(personas.worker), client_for(personas.resident)

    worker.post(f"/werk/dossiers/{case.public_id}/notities/", {"body": MARKUP, "visibility": "shared"})
    resident.post(f"/mijn/dossier/note/{note.public_id}/reageren/", {"body": MARKUP})
    resident.post(f"/mijn/dossier/note/{note.public_id}/correctie/", {"text": MARKUP})

    state = casefile_state(case)
    assert (MARKUP, True) in state["notes"]
    assert state["comments"] == [MARKUP]
    assert state["corrections"][0][0] == MARKUP
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    pages = [
        worker.get(dossier_url(personas.resident)).content.decode(),
        resident.get("/mijn/dossier/").content.decode(),
        worker.get(f"/werk/correcties/{case.correction_requests.get().public_id}/").content.decode(),
    ]
    for html in pages:
        assert MARKUP not in html
        assert escaped in html


@pytest.mark.parametrize("form", sorted(FORMS))
def test_text_over_the_limit_gets_a_clear_message_and_stores_nothing(
    personas: Personas, case: Case, note: Note, form: str
) -> None:
    who, path, field, extra = FORMS[form]
    before = casefile_state(case)

    shown = post_as(
        personas, who, path.format(case=case.public_id, note=note.public_id), {field: "x" * 10_001, **extra}
    )

    assert any("niet meer dan" in text for text in shown), shown
    assert casefile_state(case) == before


def test_a_correction_answer_with_invisible_characters_is_refused_and_the_request_stays_open(
    personas: Personas, case: Case, note: Note
) -> None:
    correction = services.correction_request_add(resident=personas.resident, kind="note", item=note, text="Fout")
    before = casefile_state(case)

    response = client_for(personas.worker).post(
        f"/werk/correcties/{correction.public_id}/",
        {"decision": "accept", "answer_text": "Ja\u202e", "corrected_body": "Nieuwe\x00tekst"},
    )

    assert response.status_code == 200
    assert "Deze tekst bevat onzichtbare of speciale tekens." in response.content.decode()
    assert casefile_state(case) == before


def test_ordinary_punctuation_is_stored_as_typed_and_shown_escaped(personas: Personas, case: Case, note: Note) -> None:
    body = 'Tom & Jerry\'s "afspraak"; 100% zeker = waar?'

    client_for(personas.resident).post(f"/mijn/dossier/note/{note.public_id}/reageren/", {"body": body})

    assert casefile_state(case)["comments"] == [body]
    html = client_for(personas.worker).get(dossier_url(personas.resident)).content.decode()
    assert "Tom &amp; Jerry&#x27;s &quot;afspraak&quot;" in html


@pytest.mark.parametrize("kind", ["markup", *sorted(HOSTILE)])
def test_hostile_text_in_the_blend_plan_is_refused_and_nothing_is_saved(
    personas: Personas, case: Case, kind: str
) -> None:
    value, message = (MARKUP, "Gebruik geen < of > in deze tekst.") if kind == "markup" else HOSTILE[kind]

    response = client_for(personas.worker).post(
        f"/werk/inwoners/{personas.resident.public_id}/samenwerken/",
        {"preferred_channel": "phone", "best_times": value, "notes": value},
    )

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not BlendPlan.objects.exists()


def test_a_blend_plan_with_text_over_the_limit_is_refused(personas: Personas, case: Case) -> None:
    response = client_for(personas.worker).post(
        f"/werk/inwoners/{personas.resident.public_id}/samenwerken/",
        {"preferred_channel": "phone", "best_times": "x" * 201, "notes": "y" * 2001},
    )

    assert response.status_code == 200
    assert "niet meer dan" in response.content.decode()
    assert not BlendPlan.objects.exists()
