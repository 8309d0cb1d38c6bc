"""Reads for e-learning and the library, each with a fixed number of
queries whatever the number of modules, steps or articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from accounts.models import Role, User
from learning.access import library_items_for_resident
from learning.models import Answer, Assignment, LibraryItem, Module, ModuleRun, ModuleVersion, Status, Step, Topic
from samenspraak.policy import organisation_id_of

# Words shorter than this are left out of the SQLite search (de, en, op).
SEARCH_WORD_MIN = 2
SEARCH_WORDS_MAX = 8


@dataclass
class ModuleRow:
    module: Module
    version: ModuleVersion
    step_count: int
    run: ModuleRun | None
    is_assigned: bool

    @property
    def is_finished(self) -> bool:
        return self.run is not None and self.run.finished_at is not None

    @property
    def is_started(self) -> bool:
        return self.run is not None and self.run.finished_at is None


def modules_for_resident(*, resident: User) -> list[ModuleRow]:
    """The organisation's published modules with the resident's latest run
    and whether a worker assigned it, assigned ones first (three queries)."""
    modules = list(
        Module.objects.filter(organisation_id=organisation_id_of(resident), published_version__isnull=False)
        .select_related("published_version")
        .annotate(step_count=Count("published_version__steps"))
        .order_by("published_version__title", "pk")
    )
    runs: dict[int, ModuleRun] = {}
    for run_row in (
        ModuleRun.objects.filter(resident=resident)
        .select_related("version")
        .annotate(step_count=Count("version__steps"))
        .order_by("started_at", "pk")
    ):
        # The latest run wins; an open one before a finished one.
        current = runs.get(run_row.module_id)
        if current is None or current.finished_at is not None or run_row.finished_at is None:
            runs[run_row.module_id] = run_row
    assigned = set(Assignment.objects.filter(resident=resident).values_list("module_id", flat=True))
    rows = []
    for module in modules:
        version = module.published_version
        assert version is not None
        run: ModuleRun | None = runs.get(module.pk)
        # An open run counts the steps of its own version.
        count = run.step_count if run is not None and run.finished_at is None else module.step_count  # type: ignore[attr-defined]
        rows.append(ModuleRow(module, version, count, run, module.pk in assigned))
    rows.sort(key=lambda row: (not row.is_assigned, row.version.title.lower()))
    return rows


def run_current(*, resident: User, module: Module) -> ModuleRun | None:
    """The open run, else the latest finished one (one query)."""
    return (
        ModuleRun.objects.filter(resident=resident, module=module)
        .select_related("version")
        .order_by(F("finished_at").asc(nulls_first=True), "-started_at", "-pk")
        .first()
    )


def version_steps(version: ModuleVersion) -> list[Step]:
    """The steps of a version in order, with their answer choices (two queries)."""
    return list(
        Step.objects.filter(version=version)
        .defer("image_data", "video_data")
        .prefetch_related("choices")
        .order_by("position")
    )


def run_answers(run: ModuleRun) -> dict[int, Any]:
    """Step id → the chosen ``Choice`` (one query)."""
    return {answer.step_id: answer.choice for answer in Answer.objects.filter(run=run).select_related("choice")}


# --- The worker --------------------------------------------------------------------------------


@dataclass
class FollowRow:
    module: Module
    title: str
    run: ModuleRun | None
    step_count: int
    assignment: Assignment | None


def modules_followed(*, resident: User) -> list[FollowRow]:
    """The modules a worker sees for one resident: those assigned to them
    and those the resident started (three queries)."""
    assignments = {
        a.module_id: a
        for a in Assignment.objects.filter(resident=resident)
        .select_related("module__published_version")
        .annotate(step_count=Count("module__published_version__steps"))
    }
    runs: dict[int, ModuleRun] = {}
    for run_row in (
        ModuleRun.objects.filter(resident=resident)
        .select_related("module", "version")
        .annotate(step_count=Count("version__steps"))
        .order_by("started_at", "pk")
    ):
        runs[run_row.module_id] = run_row
    rows = []
    for module_id in dict.fromkeys([*assignments, *runs]):
        run: ModuleRun | None = runs.get(module_id)
        assignment = assignments.get(module_id)
        module = run.module if run is not None else assignment.module  # type: ignore[union-attr]
        version = run.version if run is not None else module.published_version
        count = run.step_count if run is not None else assignment.step_count  # type: ignore[union-attr,attr-defined]
        rows.append(FollowRow(module, version.title if version else "", run, count, assignment))
    return rows


def modules_published(*, organisation_id: int) -> QuerySet[Module]:
    return (
        Module.objects.filter(organisation_id=organisation_id, published_version__isnull=False)
        .select_related("published_version")
        .order_by("published_version__title", "pk")
    )


def module_run_for_worker(*, resident: User, module_public_id: Any) -> tuple[Module, ModuleRun | None] | None:
    """The module (assigned or started by the resident) and the latest run."""
    module = (
        Module.objects.filter(public_id=module_public_id, organisation_id=organisation_id_of(resident))
        .filter(Q(assignments__resident=resident) | Q(runs__resident=resident))
        .distinct()
        .first()
    )
    if module is None:
        return None
    return module, run_current(resident=resident, module=module)


# --- The library --------------------------------------------------------------------------------


def _search(items: QuerySet[LibraryItem], query: str) -> QuerySet[LibraryItem]:
    """Full-text search: PostgreSQL's Dutch configuration (stems: "rekening"
    finds "rekeningen"), ranked; on SQLite every word must occur in the
    title, summary or text."""
    query = query.strip()[:200]
    if not query:
        return items
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="dutch")
            + SearchVector("summary", weight="B", config="dutch")
            + SearchVector("body_markdown", weight="C", config="dutch")
        )
        search = SearchQuery(query, config="dutch", search_type="websearch")
        # Match with @@ (every word of the query), then rank: ts_rank gives
        # a tiny non-zero rank to documents that do not match at all.
        return (
            items.annotate(search_document=vector, search_rank=SearchRank(vector, search))
            .filter(search_document=search)
            .order_by("-search_rank", "title", "pk")
        )
    words = [w for w in query.split() if len(w) >= SEARCH_WORD_MIN][:SEARCH_WORDS_MAX]
    for word in words:
        items = items.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_markdown__icontains=word))
    return items


def library_list(*, resident: User, query: str = "", topic_id: int | None = None) -> list[LibraryItem]:
    """The articles the resident may read, searched and filtered (one query)."""
    items = library_items_for_resident(resident).select_related("topic").defer("body_markdown", "body_html")
    if topic_id is not None:
        items = items.filter(topic_id=topic_id)
    return list(_search(items, query))


def library_topics(*, resident: User) -> list[Topic]:
    """Topics that have an article the resident may read (one query)."""
    return list(Topic.objects.filter(items__in=library_items_for_resident(resident)).distinct().order_by("name"))


# --- Authoring ----------------------------------------------------------------------------------


def modules_for_author(*, organisation_id: int) -> list[Module]:
    """Every module with its versions, newest first (two queries)."""
    return list(
        Module.objects.filter(organisation_id=organisation_id)
        .prefetch_related(Prefetch("versions", queryset=ModuleVersion.objects.order_by("-number")))
        .order_by("-created_at", "-pk")
    )


def module_versions(module: Module) -> list[ModuleVersion]:
    return list(
        ModuleVersion.objects.filter(module=module)
        .annotate(step_count=Count("steps", distinct=True), run_count=Count("runs", distinct=True))
        .order_by("-number")
    )


def module_draft(module: Module) -> ModuleVersion | None:
    return ModuleVersion.objects.filter(module=module, status=Status.DRAFT).first()


def library_items_for_author(*, organisation_id: int) -> QuerySet[LibraryItem]:
    return (
        LibraryItem.objects.filter(organisation_id=organisation_id)
        .select_related("topic", "audience_resident", "audience_training")
        .defer("body_markdown", "body_html")
        .order_by("title", "pk")
    )


def designated_authors(*, organisation_id: int) -> QuerySet[User]:
    """The social workers the admin designated to write learning content."""
    return User.objects.filter(learning_author__organisation_id=organisation_id).order_by("sort_name", "first_name")


def social_workers(*, organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, role=Role.SOCIAL_WORKER, is_active=True).order_by(
        "sort_name", "first_name"
    )
