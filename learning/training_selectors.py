"""Reads for blended trainings, each with a fixed number of queries
whatever the number of sessions, materials, modules or participants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from appointments.access import group_sessions_for_user
from audit.services import Access, access_log_record
from learning.models import LibraryItem, Module, ModuleRun, Status, Training, TrainingParticipant, TrainingStatus
from learning.trainings import PARTICIPANT_OBJECT_TYPE
from samenspraak.policy import Action, residents_log_listed


@dataclass
class ModuleProgress:
    module: Module
    title: str
    step_count: int
    steps_done: int = 0
    is_finished: bool = False

    @property
    def is_started(self) -> bool:
        return self.steps_done > 0 and not self.is_finished


@dataclass
class TrainingPage:
    training: Training
    participant: TrainingParticipant | None
    places_left: int
    sessions: list[Any]
    next_session: Any
    materials: list[LibraryItem]
    modules: list[ModuleProgress] = field(default_factory=list)


def training_list_for_resident(*, trainings: QuerySet[Training], resident: User) -> list[Training]:
    """Trainings with ``taken`` places and ``is_participant`` (one query)."""
    return list(
        trainings.select_related("host")
        .annotate(
            taken=Count("participants", filter=Q(participants__left_at__isnull=True), distinct=True),
            own=Count(
                "participants",
                filter=Q(participants__left_at__isnull=True, participants__resident=resident),
                distinct=True,
            ),
        )
        .order_by("title", "pk")
    )


def _sessions(training: Training, user: User) -> list[Any]:
    """The training's sessions that have not ended, soonest first (one query)."""
    return list(
        group_sessions_for_user(user)
        .filter(pk__in=training.sessions.values("pk"), ends_at__gt=timezone.now())
        .select_related("location")
        .order_by("starts_at", "pk")
    )


def _module_progress(training: Training, residents: list[User]) -> tuple[list[Module], dict[tuple[int, int], Any]]:
    """The training's published modules (with step counts) and, per
    (resident, module), the latest run (two queries)."""
    modules: list[Module] = list(
        training.modules.filter(published_version__isnull=False)
        .select_related("published_version")
        .annotate(step_count=Count("published_version__steps"))
        .order_by("published_version__title", "pk")
    )
    runs: dict[tuple[int, int], Any] = {}
    if modules and residents:
        for run in (
            ModuleRun.objects.filter(resident__in=residents, module__in=modules)
            .annotate(step_count=Count("version__steps"))
            .order_by("started_at", "pk")
        ):
            key = (run.resident_id, run.module_id)
            current = runs.get(key)
            # The latest run wins; an open one before a finished one.
            if current is None or current.finished_at is not None or run.finished_at is None:
                runs[key] = run
    return modules, runs


def _progress_row(module: Module, run: Any) -> ModuleProgress:
    version = module.published_version
    assert version is not None
    if run is None:
        return ModuleProgress(module, version.title, module.step_count)  # type: ignore[attr-defined]
    return ModuleProgress(module, version.title, run.step_count, run.steps_done, run.finished_at is not None)


def training_page(*, training: Training, resident: User) -> TrainingPage:
    """What a resident sees of one training (six queries): their own
    participation (logged as their own read), places left, the sessions
    still to come, the materials (participants only), and the modules with
    their progress."""
    participants = TrainingParticipant.objects.filter(training=training, left_at__isnull=True)
    taken = 0
    participant = None
    for row in participants.select_related("resident").order_by("pk"):
        taken += 1
        if row.resident_id == resident.pk:
            participant = row
    if participant is not None:
        access_log_record(
            actor=resident,
            accesses=[Access(resident, PARTICIPANT_OBJECT_TYPE, str(participant.public_id), Action.VIEW)],
        )
    sessions = _sessions(training, resident)
    upcoming = [s for s in sessions if s.cancelled_at is None]
    materials: list[LibraryItem] = []
    if participant is not None:
        materials = list(
            LibraryItem.objects.filter(audience_training=training, status=Status.PUBLISHED)
            .defer("body_markdown", "body_html")
            .order_by("title", "pk")
        )
    modules, runs = _module_progress(training, [resident])
    return TrainingPage(
        training=training,
        participant=participant,
        places_left=max(training.capacity - taken, 0),
        sessions=sessions,
        next_session=upcoming[0] if upcoming else None,
        materials=materials,
        modules=[_progress_row(m, runs.get((resident.pk, m.pk))) for m in modules],
    )


@dataclass
class ParticipantRow:
    participant: TrainingParticipant
    modules: list[ModuleProgress]


@dataclass
class HostPage:
    training: Training
    participants: list[ParticipantRow]
    sessions: list[Any]
    modules: list[Module]
    materials: list[LibraryItem]


def training_host_page(*, training: Training, user: User) -> HostPage:
    """The host's (or an author's) view: the participants with how far they
    are in each module (never their answers), logged as a list of residents
    shown to ``user``; the schedule and materials (six queries)."""
    participants = list(
        TrainingParticipant.objects.filter(training=training, left_at__isnull=True)
        .select_related("resident")
        .order_by("resident__first_name", "resident__last_name", "pk")
    )
    residents = [p.resident for p in participants]
    residents_log_listed(user=user, residents=residents, object_type=PARTICIPANT_OBJECT_TYPE)
    modules, runs = _module_progress(training, residents)
    rows = [
        ParticipantRow(p, [_progress_row(m, runs.get((p.resident_id, m.pk))) for m in modules]) for p in participants
    ]
    sessions = list(
        group_sessions_for_user(training.host)
        .filter(pk__in=training.sessions.values("pk"))
        .select_related("location")
        .order_by("starts_at", "pk")
    )
    materials = list(
        LibraryItem.objects.filter(audience_training=training).defer("body_markdown", "body_html").order_by("title")
    )
    return HostPage(training, rows, sessions, modules, materials)


def sessions_to_attach(*, training: Training) -> list[Any]:
    """The organisation's sessions that have not started, are not cancelled
    and are not yet on the schedule (one query)."""
    return list(
        group_sessions_for_user(training.host)
        .filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .exclude(pk__in=training.sessions.values("pk"))
        .order_by("starts_at", "pk")[:50]
    )


def trainings_of_participant(*, resident: User) -> QuerySet[Training]:
    return Training.objects.filter(participants__resident=resident, participants__left_at__isnull=True).exclude(
        status=TrainingStatus.DRAFT
    )
