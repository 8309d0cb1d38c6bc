"""Blended trainings: sign-up with places counted under a lock (also two
at once), leaving, the schedule's sessions and the group chat following
the participants, materials only for participants, the pages with a fixed
number of queries, and the demo training.

The clock stands still on Monday 2 March 2026, 10:00 in Amsterdam."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from appointments.models import GroupSession, GroupSessionSignup
from appointments.sessions import group_session_plan
from audit.models import AccessLogEntry
from blend.services import channel_consent_set
from casefiles.models import TimelineEvent
from conftest import Personas, client_for
from learning.models import LibraryItem, Training, TrainingParticipant
from learning.services import (
    LibraryItemData,
    StepData,
    library_item_save,
    module_create,
    module_publish,
    module_run_start,
    step_add,
    step_save,
)
from learning.trainings import (
    TrainingError,
    training_leave,
    training_modules_set,
    training_publish,
    training_save,
    training_session_attach,
    training_sign_up,
)
from messaging.models import Membership

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def _session(personas: Personas, days: int = 7, capacity: int = 12) -> GroupSession:
    return group_session_plan(
        host=personas.worker,
        title="Assertiviteit",
        description="",
        kind="face_to_face",
        location=personas.demo.location,
        starts_at=NOW + timedelta(days=days),
        minutes=90,
        capacity=capacity,
    )


def _training(personas: Personas, *, capacity: int = 10, sessions: int = 2, publish: bool = True) -> Training:
    training = training_save(
        organisation=personas.organisation,
        saved_by=personas.admin,
        title="Assertiviteit: voor jezelf opkomen",
        description="Leer nee zeggen.",
        host=personas.worker,
        capacity=capacity,
    )
    for n in range(sessions):
        training_session_attach(training=training, session=_session(personas, days=7 * (n + 1)), by=personas.admin)
    if publish:
        training_publish(training=training, by=personas.admin)
        training.refresh_from_db()
    return training


def _residents(personas: Personas, count: int) -> list[User]:
    return [
        User.objects.create_user(
            username=f"cursist{n}",
            first_name="Cursist",
            last_name=str(n),
            role="resident",
            organisation=personas.organisation,
        )
        for n in range(count)
    ]


def _active_signups(resident: User) -> int:
    return GroupSessionSignup.objects.filter(resident=resident, cancelled_at__isnull=True).count()


# --- Sign-up, capacity, leaving -------------------------------------------------------------------


def test_sign_up_takes_a_place_and_signs_up_for_every_session(personas: Personas) -> None:
    training = _training(personas, sessions=3)

    participant = training_sign_up(training=training, resident=personas.resident)

    assert participant.left_at is None
    assert _active_signups(personas.resident) == 3
    assert TimelineEvent.objects.filter(resident=personas.resident, kind="learning.training_joined").exists()
    assert AccessLogEntry.objects.filter(
        object_type="training_participant", object_id=str(participant.public_id)
    ).exists()


def test_a_full_training_refuses_the_next_resident_and_saves_nothing(personas: Personas) -> None:
    training = _training(personas, capacity=1)
    training_sign_up(training=training, resident=personas.resident)

    with pytest.raises(TrainingError, match="Deze training is vol"):
        training_sign_up(training=training, resident=personas.other_resident)

    assert not TrainingParticipant.objects.filter(resident=personas.other_resident).exists()
    assert _active_signups(personas.other_resident) == 0


def test_a_full_session_refuses_the_sign_up_as_a_whole(personas: Personas) -> None:
    training = _training(personas, sessions=0)
    small = _session(personas, capacity=1)
    training_session_attach(training=training, session=small, by=personas.admin)
    training_session_attach(training=training, session=_session(personas, days=14), by=personas.admin)
    training_sign_up(training=training, resident=personas.resident)

    with pytest.raises(TrainingError, match="Aanmelden lukt niet voor de bijeenkomst van 09-03-2026"):
        training_sign_up(training=training, resident=personas.other_resident)

    assert not TrainingParticipant.objects.filter(resident=personas.other_resident).exists()
    assert _active_signups(personas.other_resident) == 0


def test_a_draft_training_takes_no_sign_up(personas: Personas) -> None:
    training = _training(personas, publish=False)
    with pytest.raises(TrainingError, match="Aanmelden voor deze training kan niet"):
        training_sign_up(training=training, resident=personas.resident)


def test_a_worker_adds_only_a_resident_of_their_caseload(personas: Personas) -> None:
    training = _training(personas)
    with pytest.raises(TrainingError, match="die u begeleidt"):
        training_sign_up(training=training, resident=personas.other_resident, added_by=personas.worker)

    participant = training_sign_up(training=training, resident=personas.resident, added_by=personas.worker)

    assert participant.added_by == personas.worker


def test_leaving_gives_the_place_back_and_signs_off_from_the_sessions(personas: Personas) -> None:
    training = _training(personas, capacity=1)
    participant = training_sign_up(training=training, resident=personas.resident)

    with pytest.raises(TrainingError, match="Alleen de inwoner zelf"):
        training_leave(participant=participant, by=personas.worker)
    training_leave(participant=participant, by=personas.resident)

    assert _active_signups(personas.resident) == 0
    training_sign_up(training=training, resident=personas.other_resident)
    with pytest.raises(TrainingError, match="al afgemeld"):
        training_leave(participant=participant, by=personas.resident)


@pytest.mark.django_db(transaction=True)
def test_two_residents_taking_the_last_place_at_once_get_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import build_personas

    personas = build_personas()
    training = _training(personas, capacity=2, sessions=1)
    training_sign_up(training=training, resident=personas.other_resident)
    # Widen the window between counting and inserting: without the lock on
    # the training, both residents would count one free place and both insert.
    manager = TrainingParticipant.objects
    create = manager.create

    def slow_create(**kwargs: Any) -> TrainingParticipant:
        time.sleep(0.3)
        return create(**kwargs)

    monkeypatch.setattr(manager, "create", slow_create)
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def take_the_last_place(resident_id: int) -> None:
        try:
            resident = User.objects.get(pk=resident_id)
            copy = Training.objects.get(pk=training.pk)
            start.wait(timeout=10)
            training_sign_up(training=copy, resident=resident)
            results[resident.username] = "signed up"
        except TrainingError as error:
            results[resident.username] = str(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=take_the_last_place, args=(resident.pk,))
        for resident in (personas.resident, personas.team_resident)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results.values()) == ["Deze training is vol. Er zijn geen plaatsen meer.", "signed up"]
    assert TrainingParticipant.objects.filter(training=training, left_at__isnull=True).count() == 2


# --- The group chat -------------------------------------------------------------------------------


def test_the_group_chat_follows_the_participants(personas: Personas) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    training = _training(personas)
    assert training.conversation_public_id is not None
    assert training.conversation_public_id is not None
    members = Membership.objects.filter(conversation__public_id=training.conversation_public_id, left_at__isnull=True)
    assert list(members.values_list("user_id", "is_moderator")) == [(personas.worker.pk, True)]

    participant = training_sign_up(training=training, resident=personas.resident)
    assert members.filter(user=personas.resident).exists()

    training_leave(participant=participant, by=personas.resident)
    assert not members.filter(user=personas.resident).exists()


def test_a_resident_without_chat_still_joins_the_training(personas: Personas) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=False, recorded_by=personas.resident)
    training = _training(personas)

    training_sign_up(training=training, resident=personas.resident)

    assert TrainingParticipant.objects.filter(training=training, resident=personas.resident).exists()
    assert training.conversation_public_id is not None
    assert not Membership.objects.filter(
        conversation__public_id=training.conversation_public_id, user=personas.resident
    ).exists()


# --- Materials: only for participants -------------------------------------------------------------


def _material(personas: Personas, training: Training, title: str = "Nee zeggen") -> LibraryItem:
    data = LibraryItemData(title, "Zo zegt u nee.", is_published=True, audience_training=training)
    return library_item_save(organisation=personas.organisation, saved_by=personas.admin, data=data)


def test_a_training_article_is_for_its_participants_only(personas: Personas) -> None:
    training = _training(personas)
    item = _material(personas, training)
    training_sign_up(training=training, resident=personas.resident)
    url = reverse("learning:article", args=[item.public_id])

    assert client_for(personas.resident).get(url).status_code == 200
    assert client_for(personas.other_resident).get(url).status_code == 404
    assert client_for(personas.foreign_resident).get(url).status_code == 404
    library = client_for(personas.other_resident).get(reverse("learning:library"))
    assert "Nee zeggen" not in library.content.decode()

    participant = TrainingParticipant.objects.get(training=training, resident=personas.resident)
    training_leave(participant=participant, by=personas.resident)
    assert client_for(personas.resident).get(url).status_code == 404


def test_an_article_is_for_a_training_of_the_own_organisation_only(personas: Personas) -> None:
    training = _training(personas)
    data = LibraryItemData("Elders", "Tekst.", is_published=True, audience_training=training)
    from learning.services import LearningError

    with pytest.raises(LearningError):
        library_item_save(organisation=personas.foreign_organisation, saved_by=personas.foreign_admin, data=data)


# --- Pages ----------------------------------------------------------------------------------------


def _module(personas: Personas, title: str) -> Any:
    module = module_create(organisation=personas.organisation, created_by=personas.admin, title=title)
    version = module.versions.get()
    for n in range(1, 4):
        step_add(version=version, added_by=personas.admin, data=StepData("text", f"Stap {n}", "Tekst."))
    module_publish(version=version, published_by=personas.admin)
    module.refresh_from_db()
    return module


def _fill(personas: Personas, training: Training, count: int) -> None:
    for n in range(count):
        training_session_attach(training=training, session=_session(personas, days=1 + n), by=personas.admin)
        _material(personas, training, title=f"Artikel {n}")
    modules = [_module(personas, f"Module {n}") for n in range(count)]
    training_modules_set(training=training, modules=modules, by=personas.admin)
    for module in modules:
        run = module_run_start(module=module, resident=personas.resident)
        step = run.version.steps.get(position=1)
        step_save(run=run, step_public_id=str(step.public_id), saved_by=personas.resident)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_participant_page_shows_what_is_next_with_a_fixed_number_of_queries(personas: Personas) -> None:
    small, large = _training(personas, sessions=0), _training(personas, sessions=0)
    training_sign_up(training=small, resident=personas.resident)
    training_sign_up(training=large, resident=personas.resident)
    _fill(personas, small, 3)
    _fill(personas, large, 20)
    client = client_for(personas.resident)

    response = client.get(reverse("learning:training", args=[large.public_id]))
    page = response.content.decode()
    assert "Wat is de volgende stap?" in page
    assert "Artikel 19" in page
    assert "stap 1 van 3" in page
    assert reverse("messaging:conversation", args=[large.conversation_public_id]) in page

    assert _queries(client, reverse("learning:training", args=[small.public_id])) == _queries(
        client, reverse("learning:training", args=[large.public_id])
    )


def test_the_host_page_shows_progress_not_answers_with_a_fixed_number_of_queries(personas: Personas) -> None:
    small, large = _training(personas, sessions=0), _training(personas, sessions=0)
    for training in (small, large):
        training_sign_up(training=training, resident=personas.resident)
    _fill(personas, small, 3)
    _fill(personas, large, 20)
    for resident in _residents(personas, 5):
        training_sign_up(training=large, resident=resident)
    client = client_for(personas.worker)

    page = client.get(reverse("learning:training_manage", args=[large.public_id])).content.decode()
    assert "stap 1 van 3" in page
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, object_type="training_participant", subject=personas.resident
    ).exists()

    assert _queries(client, reverse("learning:training_manage", args=[small.public_id])) == _queries(
        client, reverse("learning:training_manage", args=[large.public_id])
    )


def test_the_resident_signs_up_and_leaves_through_the_page(personas: Personas) -> None:
    training = _training(personas)
    client = client_for(personas.resident)

    response = client.post(reverse("learning:training_sign_up", args=[training.public_id]))
    assert response.status_code == 302
    assert TrainingParticipant.objects.filter(training=training, resident=personas.resident, left_at=None).exists()
    response = client.post(reverse("learning:training_leave", args=[training.public_id]))
    assert response.status_code == 302
    assert not TrainingParticipant.objects.filter(training=training, resident=personas.resident, left_at=None).exists()


def test_an_author_makes_publishes_and_plans_a_training_through_the_pages(personas: Personas) -> None:
    client = client_for(personas.team_lead)
    response = client.post(
        reverse("learning:training_new"),
        {"title": "Solliciteren", "description": "Oefenen.", "host": str(personas.worker.public_id), "capacity": "8"},
    )
    training = Training.objects.get(title="Solliciteren")
    assert response.status_code == 302
    session = _session(personas)
    client.post(
        reverse("learning:training_session_attach", args=[training.public_id]), {"session": str(session.public_id)}
    )
    client.post(reverse("learning:training_publish", args=[training.public_id]))
    training.refresh_from_db()
    assert training.status == "published"
    assert list(training.sessions.all()) == [session]

    bad = client.post(
        reverse("learning:training_edit", args=[training.public_id]),
        {"title": "", "host": "x", "capacity": "nul"},
    )
    assert bad.status_code == 200
    assert "Geef de training een titel." in bad.content.decode()


def test_the_demo_training(personas: Personas) -> None:
    from learning.demo import demo_training_create
    from organisations.services import organisation_appointment_settings_update

    organisation_appointment_settings_update(
        organisation=personas.organisation,
        change_deadline_hours=24,
        reminder_hours=24,
        jitsi_base_url="https://video.rivierstad.example/",
    )
    personas.organisation.refresh_from_db()
    personas.worker.refresh_from_db()
    training = demo_training_create(
        organisation=personas.organisation, author=personas.admin, host=personas.worker, resident=personas.resident
    )

    assert training.title == "Assertiviteit: voor jezelf opkomen"
    assert training.sessions.count() == 4
    assert training.sessions.filter(kind="online").count() == 1
    assert training.library_items.count() == 2
    assert training.participants.filter(resident=personas.resident, left_at=None).exists()


def test_a_worker_signs_up_a_resident_from_the_residents_learning_page(personas: Personas) -> None:
    training = _training(personas)
    client = client_for(personas.worker)
    page = client.get(reverse("learning:staff_resident", args=[personas.resident.public_id])).content.decode()
    assert "Aanmelden voor een training" in page

    url = reverse("learning:staff_training_sign_up", args=[personas.resident.public_id])
    assert client.post(url, {"training": str(training.public_id)}).status_code == 302
    participant = TrainingParticipant.objects.get(training=training, resident=personas.resident, left_at=None)
    assert participant.added_by == personas.worker
    event = TimelineEvent.objects.get(resident=personas.resident, kind="learning.training_joined")
    assert event.actor == personas.worker

    # A resident of someone else's caseload: 404, nothing saved.
    other = reverse("learning:staff_training_sign_up", args=[personas.other_resident.public_id])
    assert client.post(other, {"training": str(training.public_id)}).status_code == 404
    assert not TrainingParticipant.objects.filter(resident=personas.other_resident).exists()
