"""Timeline events are a kind plus params, told per reader and language:
the resident reads "U hebt ...", a worker reads "<name> heeft ..."; every
kind that code writes has a renderer; old rows without params still read
as their stored summary; the data migration fills what it can."""

from __future__ import annotations

import importlib
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from casefiles import services
from casefiles.models import Case, TimelineEvent
from casefiles.timeline import timeline_event_add, timeline_events_render, timeline_kinds
from conftest import Personas

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

ROOT = Path(settings.BASE_DIR)
CAPABILITIES = ("casefiles", "appointments", "blend", "messaging")
# Kinds built with an f-string, and every value they take.
BUILT_KINDS = {
    'f"casefiles.case_{status}"': {f"casefiles.case_{status}" for status in ("open", "paused", "closed")},
    'f"casefiles.{object_type}_visibility"': {"casefiles.note_visibility", "casefiles.document_visibility"},
    'f"appointments.{kind}"': set(),  # the helpers' callers name the kind (below)
}


def _kinds_in_code() -> set[str]:
    found: set[str] = set()
    for app in CAPABILITIES:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts or path.name == "timeline_kinds.py":
                continue
            text = path.read_text()
            if "timeline_event_add(" not in text and "_timeline(" not in text:
                continue
            found |= set(re.findall(rf'kind="({app}\.[a-z_]+)"', text))
            if app == "appointments":
                found |= {
                    f"appointments.{kind}" for kind in re.findall(r'_timeline\([^)]*?kind="([a-z_]+)"', text, re.S)
                }
            for built in re.findall(r'kind=(f"[^"]+")', text):
                assert built in BUILT_KINDS, f"{path}: a kind built as {built}: add its values to BUILT_KINDS"
                found |= BUILT_KINDS[built]
    return found


def test_every_kind_written_in_code_has_a_renderer() -> None:
    written = _kinds_in_code()
    assert len(written) > 30  # the scan finds the call sites
    assert "appointments.confirmed" in written and "casefiles.case_paused" in written
    missing = written - set(timeline_kinds())
    assert not missing, f"Register a renderer (timeline_kind_register) for: {sorted(missing)}"


def _text(event: TimelineEvent, viewer: object) -> str:
    [rendered] = timeline_events_render(
        TimelineEvent.objects.filter(pk=event.pk).select_related("actor"),
        viewer=viewer,  # type: ignore[arg-type]
    )
    return str(rendered.text)  # type: ignore[attr-defined]


def test_the_resident_and_the_worker_each_read_it_their_way(personas: Personas, case: Case) -> None:
    starts_at = datetime(2031, 3, 4, 10, 30, tzinfo=AMSTERDAM)
    params = {"kind": "face_to_face", "starts_at": starts_at.isoformat()}
    booked = timeline_event_add(
        resident=personas.resident,
        kind="appointments.booked",
        summary="Afspraak aangevraagd",
        params=params,
        actor=personas.resident,
        is_shared=True,
    )
    confirmed = timeline_event_add(
        resident=personas.resident,
        kind="appointments.confirmed",
        summary="Afspraak bevestigd",
        params=params,
        actor=personas.worker,
        is_shared=True,
    )
    when = "gesprek op een locatie op dinsdag 4 maart 2031 om 10:30 uur"

    assert _text(booked, personas.resident) == f"U hebt een afspraak aangevraagd: {when}"
    assert _text(booked, personas.worker) == f"Fatima el Amrani heeft een afspraak aangevraagd: {when}"
    assert _text(confirmed, personas.resident) == f"{personas.worker.full_name} heeft uw afspraak bevestigd: {when}"
    assert _text(confirmed, personas.worker) == f"U hebt de afspraak bevestigd: {when}"
    assert _text(confirmed, personas.other_worker) == (
        f"{personas.worker.full_name} heeft de afspraak bevestigd: {when}"
    )


def test_consent_reads_for_the_resident_and_for_staff(personas: Personas) -> None:
    from blend.services import channel_consent_set

    channel_consent_set(resident=personas.resident, channel="video", is_given=True, recorded_by=personas.resident)
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.worker)
    by_resident = TimelineEvent.objects.get(kind="blend.consent_given", params__channel="video")
    by_worker = TimelineEvent.objects.get(kind="blend.consent_given", params__channel="chat")

    assert _text(by_resident, personas.resident) == "U gaf toestemming voor beeldbellen"
    assert _text(by_resident, personas.worker) == "Fatima el Amrani gaf toestemming voor beeldbellen"
    assert _text(by_worker, personas.resident) == (
        "In het gesprek gaf u toestemming voor chat (vastgelegd door uw sociaal werker)"
    )
    assert (
        _text(by_worker, personas.worker) == "In het gesprek gaf de inwoner toestemming voor chat (door u vastgelegd)"
    )


def test_the_text_is_made_in_the_readers_language(personas: Personas) -> None:
    from blend.services import channel_consent_set

    channel_consent_set(resident=personas.resident, channel="video", is_given=True, recorded_by=personas.resident)
    event = TimelineEvent.objects.get(kind="blend.consent_given")
    starts_at = datetime(2031, 3, 4, 10, 30, tzinfo=AMSTERDAM)
    moved = timeline_event_add(
        resident=personas.resident,
        kind="appointments.moved",
        summary="Afspraak verzet",
        params={"kind": "video", "starts_at": starts_at.isoformat()},
        actor=personas.worker,
        is_shared=True,
    )

    with translation.override("en"):
        assert _text(event, personas.resident) == "You gave permission for video calling"
        english = _text(moved, personas.resident)
    # The stored row holds no sentence in the writer's language: the same
    # event reads in English for an English reader (day and kind at least;
    # the sentence as soon as the lead's translations are in).
    assert "Tuesday 4 March 2031" in english and "video calling" in english
    assert event.summary == "U gaf toestemming voor beeldbellen"


def test_a_handover_names_the_new_worker_as_they_are_called_now(personas: Personas, case: Case) -> None:
    services.case_handover(
        case=case, from_worker=personas.worker, to_worker=personas.other_worker, handed_over_by=personas.team_lead
    )
    event = TimelineEvent.objects.get(kind="casefiles.handover")
    assert event.params == {"worker_user_id": personas.other_worker.pk}
    personas.other_worker.last_name = "Bakker-Jansen"
    personas.other_worker.save()

    assert (
        _text(event, personas.resident) == f"Uw sociaal werker is nu {personas.other_worker.first_name} Bakker-Jansen"
    )
    assert _text(event, personas.other_worker).endswith(f"overgedragen aan {personas.other_worker.full_name}")


def test_unknown_kinds_and_rows_without_params_read_as_their_summary(personas: Personas, case: Case) -> None:
    unknown = timeline_event_add(
        resident=personas.resident, kind="oldapp.gone", summary="Iets van vroeger", actor=None, is_shared=True
    )
    old = timeline_event_add(
        resident=personas.resident,
        kind="casefiles.goal_added",
        summary="Doel toegevoegd: Schulden op een rij",
        actor=personas.worker,
        is_shared=True,
    )

    assert _text(unknown, personas.resident) == "Iets van vroeger"
    assert _text(old, personas.resident) == f"Doel toegevoegd: Schulden op een rij — {personas.worker.full_name}"


def test_params_hold_plain_values_only(personas: Personas, case: Case) -> None:
    with pytest.raises(TypeError):
        timeline_event_add(
            resident=personas.resident,
            kind="casefiles.goal_added",
            summary="Doel",
            params={"goal": case},
            actor=personas.worker,
            is_shared=True,
        )


def test_each_event_links_to_its_object_for_the_reader(personas: Personas, case: Case) -> None:
    goal = services.goal_add(
        case=case, title="Werk vinden", description="", question=None, target_date=None, added_by=personas.worker
    )
    services.goal_action_add(
        goal=goal, description="Cv maken", owner="resident", due_date=None, added_by=personas.worker
    )
    [step] = timeline_events_render(
        TimelineEvent.objects.filter(kind="casefiles.step_added").select_related("actor"), viewer=personas.resident
    )
    assert step.text == f"{personas.worker.full_name} heeft een stap toegevoegd bij het doel: Werk vinden"  # type: ignore[attr-defined]
    assert step.link == reverse("casefiles:resident_casefile")  # type: ignore[attr-defined]


def test_the_data_migration_fills_params_where_it_can(personas: Personas, case: Case) -> None:
    goal = services.goal_add(
        case=case, title="Werk vinden", description="", question=None, target_date=None, added_by=personas.worker
    )
    TimelineEvent.objects.update(params={})
    timeline_event_add(
        resident=personas.resident,
        kind="blend.consent_withdrawn",
        summary="U trok uw toestemming voor beeldbellen in",
        actor=personas.resident,
        is_shared=True,
    )
    timeline_event_add(
        resident=personas.resident,
        kind="casefiles.note_added",
        summary="Interne notitie geschreven",
        actor=personas.worker,
        is_shared=False,
    )
    migration = importlib.import_module("casefiles.migrations.0004_fill_timeline_event_params")

    migration.fill(apps, None)

    params = dict(TimelineEvent.objects.values_list("kind", "params"))
    assert params["casefiles.goal_added"] == {"title": goal.title}
    assert params["blend.consent_withdrawn"] == {"channel": "video"}
    assert params["casefiles.note_added"] == {"shared": False}
    assert params["casefiles.case_opened"] == {}  # needs none: reads per reader already
