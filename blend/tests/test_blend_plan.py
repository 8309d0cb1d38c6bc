"""The blend plan: which ways of working resident and worker agree on, for
the whole case or per goal. Face-to-face is always part of it; a review
date lies ahead; only this resident's goals can be used."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from audit.models import AccessLogEntry
from blend.models import BlendAgreement, BlendPlan, ChannelConsent, ChannelUsage
from blend.services import BlendError, blend_channel_used, blend_plan_save
from casefiles import services as casefile_services
from casefiles.models import Case, Goal, TimelineEvent
from conftest import Personas, client_for


def plan_url(resident: User) -> str:
    return f"/werk/inwoners/{resident.public_id}/samenwerken/"


@pytest.fixture
def case(personas: Personas) -> Case:
    return casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)


@pytest.fixture
def goal(personas: Personas, case: Case) -> Goal:
    return casefile_services.goal_add(
        case=case, title="Grip op mijn geld", description="", question=None, target_date=None, added_by=personas.worker
    )


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def plan_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_channels": ["phone"],
        "consents": [],
        "preferred_channel": "phone",
        "best_times": "Dinsdagochtend",
        "review_date": in_days(42),
        "notes": "",
    }
    data.update(overrides)
    return data


def save_plan(personas: Personas, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "resident": personas.resident,
        "saved_by": personas.worker,
        "review_date": timezone.localdate() + timedelta(days=42),
        "best_times": "",
        "preferred_channel": "face_to_face",
        "needs_large_text": False,
        "needs_read_aloud": False,
        "has_no_email": False,
        "needs_help_of_relative": False,
        "notes": "",
        "case_channels": set(),
        "goal_channels": {},
        "consent_changes": {},
    }
    # ``consents={...}`` in a test means: the resident said yes to these.
    consents = overrides.pop("consents", None)
    if consents is not None:
        overrides["consent_changes"] = dict.fromkeys(consents, True)
    arguments.update(overrides)
    return blend_plan_save(**arguments)


def blend_state(resident: User) -> dict[str, Any]:
    """Everything a refused save could have touched."""
    return {
        "plans": list(BlendPlan.objects.filter(resident=resident).values()),
        "agreements": sorted(
            BlendAgreement.objects.filter(plan__resident=resident).values_list("goal_id", "channel"),
            key=str,
        ),
        "consents": list(ChannelConsent.objects.filter(resident=resident).values_list("channel", "is_given")),
        "timeline": TimelineEvent.objects.filter(resident=resident).count(),
        "changes_logged": AccessLogEntry.objects.filter(subject=resident, outcome="allowed")
        .exclude(action__in=["view", "list"])
        .count(),
    }


def case_channels(resident: User) -> set[str]:
    return set(BlendAgreement.objects.filter(plan__resident=resident, goal=None).values_list("channel", flat=True))


def test_worker_saves_the_plan_and_face_to_face_is_always_in_it(personas: Personas, case: Case) -> None:
    response = client_for(personas.worker).post(
        plan_url(personas.resident), plan_form(case_channels=["phone", "video"], needs_large_text="on")
    )

    assert response.status_code == 302
    assert response["Location"] == plan_url(personas.resident)
    plan = BlendPlan.objects.get(resident=personas.resident)
    assert (plan.preferred_channel, plan.best_times, plan.needs_large_text, plan.updated_by) == (
        "phone",
        "Dinsdagochtend",
        True,
        personas.worker,
    )
    assert plan.review_date == timezone.localdate() + timedelta(days=42)
    assert case_channels(personas.resident) == {"face_to_face", "phone", "video"}
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=personas.resident, object_type="blend_plan", action="change"
    ).exists()
    assert TimelineEvent.objects.get(kind="blend.plan_saved").is_shared


def test_face_to_face_stays_when_the_post_leaves_it_out(personas: Personas, case: Case) -> None:
    client = client_for(personas.worker)
    page = client.get(plan_url(personas.resident)).content.decode()
    # There is no box to untick: face-to-face is not a field.
    assert 'name="case_channels" value="face_to_face"' not in page

    client.post(plan_url(personas.resident), plan_form(case_channels=[]))

    assert case_channels(personas.resident) == {"face_to_face"}


def test_the_service_adds_face_to_face_whatever_it_is_given(personas: Personas) -> None:
    save_plan(personas, case_channels={"chat"})
    save_plan(personas, case_channels=set())

    assert case_channels(personas.resident) == {"face_to_face"}


def test_saving_again_replaces_the_agreed_ways_of_working(personas: Personas, case: Case) -> None:
    client = client_for(personas.worker)
    client.post(plan_url(personas.resident), plan_form(case_channels=["phone", "home_visit", "chat"]))

    client.post(plan_url(personas.resident), plan_form(case_channels=["group_training"]))

    assert case_channels(personas.resident) == {"face_to_face", "group_training"}
    assert BlendPlan.objects.count() == 1


def test_ways_of_working_are_agreed_per_goal(personas: Personas, goal: Goal) -> None:
    field = f"goal_{goal.public_id.hex}"

    client_for(personas.worker).post(plan_url(personas.resident), plan_form(**{field: ["elearning", "diary"]}))

    per_goal = set(BlendAgreement.objects.filter(goal=goal).values_list("channel", flat=True))
    assert per_goal == {"elearning", "diary"}
    resident_page = unescape(client_for(personas.resident).get("/mijn/samenwerken/").content.decode())
    assert "Grip op mijn geld" in resident_page
    assert "dagboek" in resident_page


def test_a_goal_of_another_resident_is_ignored_by_the_page(personas: Personas, case: Case) -> None:
    other_case = casefile_services.case_open(resident=personas.other_resident, opened_by=personas.other_worker)
    other_goal = casefile_services.goal_add(
        case=other_case,
        title="Van Henk",
        description="",
        question=None,
        target_date=None,
        added_by=personas.other_worker,
    )

    client_for(personas.worker).post(
        plan_url(personas.resident), plan_form(**{f"goal_{other_goal.public_id.hex}": ["chat"]})
    )

    assert not BlendAgreement.objects.filter(goal=other_goal).exists()
    assert not BlendPlan.objects.filter(resident=personas.other_resident).exists()


def test_a_goal_of_another_resident_is_refused_by_the_service_and_nothing_is_saved(personas: Personas) -> None:
    other_case = casefile_services.case_open(resident=personas.other_resident, opened_by=personas.other_worker)
    other_goal = casefile_services.goal_add(
        case=other_case,
        title="Van Henk",
        description="",
        question=None,
        target_date=None,
        added_by=personas.other_worker,
    )
    before = blend_state(personas.resident)

    with pytest.raises(BlendError, match="Dit doel hoort niet bij deze inwoner"):
        save_plan(personas, goal_channels={other_goal: {"chat"}}, consents={"chat"})

    assert blend_state(personas.resident) == before
    assert not BlendAgreement.objects.filter(goal=other_goal).exists()


def test_a_review_date_in_the_past_is_refused_and_nothing_is_saved(personas: Personas, case: Case) -> None:
    before = blend_state(personas.resident)

    response = client_for(personas.worker).post(
        plan_url(personas.resident), plan_form(review_date=in_days(-1), consents=["chat"], case_channels=["chat"])
    )

    assert response.status_code == 200
    assert "De datum om het plan samen te bekijken ligt in het verleden. Kies een datum vanaf vandaag." in unescape(
        response.content.decode()
    )
    assert blend_state(personas.resident) == before


def test_a_review_date_of_today_is_fine(personas: Personas, case: Case) -> None:
    client_for(personas.worker).post(plan_url(personas.resident), plan_form(review_date=in_days(0)))

    assert BlendPlan.objects.get().review_date == timezone.localdate()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_channels": {"carrier_pigeon"}}, "Kies alleen manieren van werken uit de lijst."),
        ({"consents": {"phone"}}, "Toestemming gaat alleen over online manieren van werken."),
    ],
)
def test_unknown_channels_and_consent_for_offline_channels_are_refused_and_nothing_is_saved(
    personas: Personas, overrides: dict[str, Any], message: str
) -> None:
    save_plan(personas, case_channels={"phone"})
    before = blend_state(personas.resident)

    with pytest.raises(BlendError, match=message):
        save_plan(personas, **{"case_channels": {"video"}, "consents": {"video"}, **overrides})

    assert blend_state(personas.resident) == before


def test_only_staff_save_a_plan(personas: Personas, case: Case) -> None:
    before = blend_state(personas.resident)

    response = client_for(personas.resident).post(plan_url(personas.resident), plan_form())
    with pytest.raises(BlendError, match="Alleen een sociaal werker"):
        save_plan(personas, saved_by=personas.resident)

    assert response.status_code == 403
    assert blend_state(personas.resident) == before


@pytest.mark.parametrize("who", ["other_worker", "foreign_worker"])
def test_a_worker_without_the_resident_on_their_caseload_gets_404_and_saves_nothing(
    personas: Personas, case: Case, who: str
) -> None:
    before = blend_state(personas.resident)
    client = client_for(getattr(personas, who))

    responses = [client.get(plan_url(personas.resident)), client.post(plan_url(personas.resident), plan_form())]

    assert [r.status_code for r in responses] == [404, 404]
    assert blend_state(personas.resident) == before


def test_the_service_refuses_a_plan_for_a_resident_of_another_organisation(personas: Personas) -> None:
    with pytest.raises(BlendError, match="geen plan"):
        save_plan(personas, resident=personas.foreign_resident)

    assert not BlendPlan.objects.exists()


def test_reading_the_plan_is_logged(personas: Personas, case: Case) -> None:
    client_for(personas.worker).get(plan_url(personas.resident))
    client_for(personas.resident).get("/mijn/samenwerken/")

    logged = set(AccessLogEntry.objects.filter(action="view").values_list("actor", "subject", "object_type", "outcome"))
    assert logged == {
        (personas.worker.pk, personas.resident.pk, "blend_plan", "allowed"),
        (personas.resident.pk, personas.resident.pk, "blend_plan", "allowed"),
    }


def test_channel_use_is_recorded_and_the_plan_page_shows_it(personas: Personas, case: Case) -> None:
    blend_channel_used(resident=personas.resident, channel="chat")
    blend_channel_used(resident=personas.resident, channel="chat")
    blend_channel_used(resident=personas.resident, channel="video")

    usage = {u.channel: u.times_used for u in ChannelUsage.objects.filter(resident=personas.resident)}
    assert usage == {"chat": 2, "video": 1}
    page = unescape(client_for(personas.worker).get(plan_url(personas.resident)).content.decode())
    assert "Chat: 2 keer gebruikt" in page
    assert "Beeldbellen: 1 keer gebruikt" in page
    assert "Dagboek: nog niet gebruikt" in page


def test_the_resident_reads_the_plan_in_plain_words(personas: Personas, case: Case) -> None:
    save_plan(personas, case_channels={"phone", "home_visit"}, needs_read_aloud=True, best_times="Na 10 uur")

    page = unescape(client_for(personas.resident).get("/mijn/samenwerken/").content.decode())

    assert "U kunt altijd langskomen voor een gesprek." in page
    for expected in ("Gesprek op een locatie", "Telefoon", "Huisbezoek", "Voorlezen", "Na 10 uur"):
        assert expected in page
    review = timezone.localdate() + timedelta(days=42)
    assert f"We bekijken dit samen opnieuw op {review.day} " in page
