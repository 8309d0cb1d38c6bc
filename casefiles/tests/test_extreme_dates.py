"""Goal and step dates outside 1900 to 2100 are refused with a plain
message and nothing is stored (year 9999 used to be stored and then
overflow wherever a day was added to it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casefiles import services
from casefiles.models import Case, Goal, GoalAction
from conftest import Personas, client_for

RANGE_MESSAGE = "Kies een datum tussen 1 januari 1900 en 31 december 2100."


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2101-01-01"])
def test_a_goal_with_a_target_date_off_the_calendar_is_refused(personas: Personas, case: Case, day: str) -> None:
    response = client_for(personas.worker).post(
        reverse("casefiles:goal_add", kwargs={"public_id": case.public_id}),
        {"title": "Overzicht in post", "target_date": day},
        follow=True,
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not Goal.objects.filter(case=case).exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_step_with_a_due_date_off_the_calendar_is_refused(personas: Personas, case: Case, day: str) -> None:
    goal = services.goal_add(
        case=case, title="Overzicht", description="", question=None, target_date=None, added_by=personas.worker
    )
    response = client_for(personas.worker).post(
        reverse("casefiles:goal_action_add", kwargs={"public_id": goal.public_id}),
        {"description": "Post sorteren", "owner": "resident", "due_date": day},
        follow=True,
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not GoalAction.objects.filter(goal=goal).exists()
