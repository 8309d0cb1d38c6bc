"""Consent per online channel: the resident switches it on and off, or the
worker records what the resident said. Every change is a new row (the
history is the consent record) and is logged. Other capabilities ask the
selectors whether a channel may be offered."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AccessLogEntry
from blend.models import ChannelConsent
from blend.selectors import channels_offered, resident_consents_to
from blend.services import BlendError, channel_consent_set
from blend.tests.test_blend_plan import plan_form, plan_url, save_plan
from casefiles import services as casefile_services
from casefiles.models import TimelineEvent
from conftest import Personas, client_for

CONSENT_URL = "/mijn/samenwerken/toestemming/"


def consent_history(personas: Personas) -> list[tuple[str, bool, int]]:
    return list(
        ChannelConsent.objects.filter(resident=personas.resident)
        .order_by("pk")
        .values_list("channel", "is_given", "recorded_by")
    )


def switch(personas: Personas, channel: str, is_given: bool) -> Any:
    return client_for(personas.resident).post(CONSENT_URL, {"channel": channel, "is_given": "1" if is_given else "0"})


def test_resident_switches_chat_on_and_off_and_each_change_is_kept(personas: Personas) -> None:
    on = switch(personas, "chat", True)
    assert resident_consents_to(resident=personas.resident, channel="chat")

    off = switch(personas, "chat", False)

    assert on.status_code == off.status_code == 302
    assert not resident_consents_to(resident=personas.resident, channel="chat")
    resident = personas.resident.pk
    assert consent_history(personas) == [("chat", True, resident), ("chat", False, resident)]
    logged = list(
        AccessLogEntry.objects.filter(object_type="channel_consent")
        .order_by("sequence")
        .values_list("actor", "subject", "object_id", "action", "outcome")
    )
    assert logged == [(resident, resident, "chat", "change", "allowed")] * 2
    kinds = list(TimelineEvent.objects.filter(is_shared=True).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["blend.consent_given", "blend.consent_withdrawn"]


def test_the_resident_page_shows_the_switch_in_its_current_position(personas: Personas) -> None:
    page = (
        client_for(personas.resident)
        .post(CONSENT_URL, {"channel": "video", "is_given": "1"}, follow=True)
        .content.decode()
    )

    assert "Zet beeldbellen uit" in page
    assert "Zet chat aan" in page
    assert "U hebt toestemming gegeven voor beeldbellen." in page


def test_switching_to_the_same_position_adds_no_row(personas: Personas) -> None:
    switch(personas, "chat", True)

    switch(personas, "chat", True)

    assert len(consent_history(personas)) == 1
    assert AccessLogEntry.objects.filter(object_type="channel_consent").count() == 1


@pytest.mark.parametrize("channel", ["phone", "face_to_face", "home_visit", "carrier_pigeon", ""])
def test_consent_is_only_about_online_channels(personas: Personas, channel: str) -> None:
    response = switch(personas, channel, True)

    assert response.status_code == 302
    assert not ChannelConsent.objects.exists()
    assert not AccessLogEntry.objects.filter(object_type="channel_consent").exists()


def test_a_worker_records_consent_through_the_plan_form(personas: Personas) -> None:
    casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    client = client_for(personas.worker)

    client.post(plan_url(personas.resident), plan_form(case_channels=["video", "chat"], consents=["video"]))
    # The second page showed video switched on (as the page would after the first save).
    client.post(
        plan_url(personas.resident),
        plan_form(case_channels=["video", "chat"], consents=["chat"], consents_shown="video"),
    )

    worker = personas.worker.pk
    assert consent_history(personas) == [("video", True, worker), ("chat", True, worker), ("video", False, worker)]
    page = client.get(plan_url(personas.resident)).content.decode()
    assert "Laatst vastgelegd" in page
    assert "Sanne de Jong" in page


def test_a_stale_plan_page_does_not_undo_what_the_resident_switched(personas: Personas) -> None:
    casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    client = client_for(personas.worker)
    # The worker's page was opened before the resident switched chat on.
    page = client.get(plan_url(personas.resident)).content.decode()
    assert 'name="consents_shown"' in page
    client_for(personas.resident).post("/mijn/samenwerken/toestemming/", {"channel": "chat", "is_given": "1"})

    client.post(plan_url(personas.resident), plan_form(case_channels=["chat"], consents=[], consents_shown=""))

    assert consent_history(personas)[-1][:2] == ("chat", True)


def test_nobody_else_records_consent_for_the_resident(personas: Personas) -> None:
    for someone in (personas.trusted_person, personas.other_resident, personas.admin):
        with pytest.raises(BlendError):
            channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=someone)

    assert not ChannelConsent.objects.exists()


@pytest.mark.parametrize("role", ["trusted_person", "social_worker", "organisation_admin"])
def test_only_the_resident_uses_the_consent_switch(personas: Personas, role: str) -> None:
    response = client_for(personas.by_role()[role]).post(CONSENT_URL, {"channel": "chat", "is_given": "1"})

    assert response.status_code in {403, 404}
    assert not ChannelConsent.objects.exists()


def test_face_to_face_is_always_offered_even_without_a_plan(personas: Personas) -> None:
    assert channels_offered(resident=personas.resident) == ["face_to_face"]
    assert resident_consents_to(resident=personas.resident, channel="face_to_face")


def test_an_online_channel_is_offered_only_when_agreed_and_consented(personas: Personas) -> None:
    save_plan(personas, case_channels={"chat", "video", "phone"})
    assert channels_offered(resident=personas.resident) == ["face_to_face", "phone"]

    switch(personas, "chat", True)
    switch(personas, "diary", True)  # consent alone does not put it in the plan

    assert channels_offered(resident=personas.resident) == ["face_to_face", "phone", "chat"]
    assert resident_consents_to(resident=personas.resident, channel="diary")


def test_withdrawing_consent_stops_the_offer_at_once(personas: Personas) -> None:
    save_plan(personas, case_channels={"chat"}, consents={"chat"})
    assert "chat" in channels_offered(resident=personas.resident)

    switch(personas, "chat", False)

    assert channels_offered(resident=personas.resident) == ["face_to_face"]
    assert not resident_consents_to(resident=personas.resident, channel="chat")


def test_offline_channels_need_no_consent(personas: Personas) -> None:
    for channel in ("phone", "home_visit", "group_training"):
        assert resident_consents_to(resident=personas.resident, channel=channel)
    assert not resident_consents_to(resident=personas.resident, channel="video")
