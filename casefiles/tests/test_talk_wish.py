""" "Liever in een gesprek" (issue 14, part 7): the resident marks a goal,
step or agreement of their own file; the worker sees the mark on the file,
on the day page (a section with a count per resident, same queries for any
caseload) and in the blend plan's review. Nobody else can set it."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Agreement, Case, Goal, GoalAction
from casefiles.selectors import talk_wishes_of_case
from casefiles.tests.helpers import RESIDENT_DOSSIER_URL, dossier_url, page_text, post_and_follow
from conftest import Personas, client_for


def wish_url(kind: str, item: Any) -> str:
    return f"/mijn/dossier/{kind}/{item.public_id}/liever-in-gesprek/"


@pytest.fixture
def items(personas: Personas, case: Case) -> dict[str, Any]:
    goal = services.goal_add(
        case=case, title="Schulden op orde", description="", question=None, target_date=None, added_by=personas.worker
    )
    step = services.goal_action_add(
        goal=goal, description="Brieven sorteren", owner="resident", due_date=None, added_by=personas.worker
    )
    agreement = services.agreement_add(case=case, text="Elke maand samen de post doorlopen", added_by=personas.worker)
    return {"goal": goal, "step": step, "agreement": agreement}


MODELS: dict[str, Any] = {"goal": Goal, "step": GoalAction, "agreement": Agreement}


@pytest.mark.parametrize("kind", ["goal", "step", "agreement"])
def test_the_resident_marks_and_unmarks_an_item(personas: Personas, items: dict[str, Any], kind: str) -> None:
    item = items[kind]
    client = client_for(personas.resident)
    page = post_and_follow(client, wish_url(kind, item), {"wens": "1"})
    assert "Uw sociaal werker ziet dat u hier liever in een gesprek over praat." in page
    assert "Toch niet" in page
    stored = MODELS[kind].objects.get(pk=item.pk)
    assert stored.talk_wished_at is not None and stored.talk_wished_by == personas.resident
    assert AccessLogEntry.objects.filter(
        actor=personas.resident, object_id=str(item.public_id), action="change"
    ).exists()
    post_and_follow(client, wish_url(kind, item), {"wens": "0"})
    assert MODELS[kind].objects.get(pk=item.pk).talk_wished_at is None


@pytest.mark.parametrize("who", ["trusted_person", "other_resident", "worker", "foreign_resident"])
def test_nobody_but_the_resident_sets_the_mark(personas: Personas, items: dict[str, Any], who: str) -> None:
    from organisations.models import TrustedPersonGrant

    TrustedPersonGrant.objects.filter(resident=personas.resident).update(scopes=["appointments", "casefile"])
    response = client_for(getattr(personas, who)).post(wish_url("goal", items["goal"]), {"wens": "1"})
    assert response.status_code in {403, 404}
    assert Goal.objects.get(pk=items["goal"].pk).talk_wished_at is None


def test_an_unknown_kind_is_404(personas: Personas, items: dict[str, Any]) -> None:
    assert client_for(personas.resident).post(wish_url("note", items["goal"]), {"wens": "1"}).status_code == 404


def _mark_all(personas: Personas, items: dict[str, Any]) -> None:
    for item in items.values():
        services.talk_wish_set(item=item, resident=personas.resident, is_wished=True)


def test_the_worker_sees_the_marks_on_the_file_and_in_the_blend_review(
    personas: Personas, case: Case, items: dict[str, Any]
) -> None:
    client = client_for(personas.worker)
    assert "Liever in een gesprek" not in page_text(client.get(dossier_url(personas.resident)))
    _mark_all(personas, items)
    assert page_text(client.get(dossier_url(personas.resident))).count("Liever in een gesprek") == 3
    blend = page_text(client.get(f"/werk/inwoners/{personas.resident.public_id}/samenwerken/"))
    for text in ("Doel: Schulden op orde", "Stap: Brieven sorteren", "Afspraak: Elke maand samen de post doorlopen"):
        assert text in blend
    assert [wish.text for wish in talk_wishes_of_case(case=case)] == [
        "Schulden op orde",
        "Brieven sorteren",
        "Elke maand samen de post doorlopen",
    ]


def test_a_done_step_and_an_achieved_goal_no_longer_count(
    personas: Personas, case: Case, items: dict[str, Any]
) -> None:
    _mark_all(personas, items)
    services.goal_action_done_set(action=items["step"], is_done=True, changed_by=personas.resident)
    assert [wish.kind for wish in talk_wishes_of_case(case=case)] == ["doel", "afspraak"]


def test_the_day_page_lists_the_resident_with_the_count(personas: Personas, items: dict[str, Any]) -> None:
    client = client_for(personas.worker)
    assert "Liever in een gesprek" not in page_text(client.get("/werk/vandaag/"))
    _mark_all(personas, items)
    page = page_text(client.get("/werk/vandaag/"))
    assert "Liever in een gesprek (1)" in page
    assert f"{personas.resident.full_name}</strong></a>: 3 markeringen" in page
    # Another worker's day does not name her.
    assert personas.resident.full_name not in page_text(client_for(personas.other_worker).get("/werk/vandaag/"))


def test_the_resident_file_shows_the_buttons(personas: Personas, items: dict[str, Any]) -> None:
    page = page_text(client_for(personas.resident).get(RESIDENT_DOSSIER_URL))
    assert "Hierover praat ik liever in een gesprek: Schulden op orde" in page
    assert "Hierover praat ik liever in een gesprek: Brieven sorteren" in page
