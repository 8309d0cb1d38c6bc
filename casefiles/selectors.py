"""Reads of the case file. The policy module decides *whether* someone may
see a case; these functions decide *what* of it each side sees: staff see
everything, the resident (and a trusted person) only what is shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from casefiles.models import (
    Agreement,
    Case,
    CorrectionRequest,
    Document,
    Goal,
    GoalAction,
    Note,
    ResidentComment,
    SupportQuestion,
    TimelineEvent,
)
from casefiles.timeline import timeline_events_render
from organisations.caseload import CaseloadCounts, count_per_resident

TIMELINE_PAGE = 30


def goals_active(*, case: Case | None) -> list[Goal]:
    """The case's active goals (the blend plan agrees ways of working per goal)."""
    if case is None:
        return []
    return list(Goal.objects.filter(case=case, status=Goal.Status.ACTIVE).select_related("case"))


def case_current(*, resident: User) -> Case | None:
    return Case.objects.current().filter(resident=resident).select_related("organisation").first()


def case_history(*, resident: User) -> QuerySet[Case]:
    return Case.objects.filter(resident=resident, status=Case.Status.CLOSED).order_by("-closed_at")


@dataclass
class CaseFileView:
    case: Case
    questions: list[SupportQuestion]
    goals: list[Goal]
    agreements: list[Agreement]
    notes: list[Note]
    documents: list[Document]
    corrections: list[CorrectionRequest]
    comments: list[ResidentComment]
    timeline: list[TimelineEvent]


def _goals(case: Case) -> list[Goal]:
    return list(
        Goal.objects.filter(case=case)
        .select_related("question")
        .prefetch_related(Prefetch("actions", queryset=GoalAction.objects.order_by("due_date", "pk")))
    )


def _attach_reactions(view: CaseFileView) -> CaseFileView:
    """Give each item its resident comments and correction requests
    (``item.reactions``, ``item.corrections``) without a query per item."""
    comments: dict[object, list[ResidentComment]] = {}
    for comment in view.comments:
        comments.setdefault(comment.item_public_id, []).append(comment)
    corrections: dict[object, list[CorrectionRequest]] = {}
    for correction in view.corrections:
        corrections.setdefault(correction.item_public_id, []).append(correction)
    items: list[Any] = [*view.goals, *view.agreements, *view.notes, *view.documents]
    for item in items:
        item.reactions = comments.get(item.public_id, [])
        item.corrections = corrections.get(item.public_id, [])
    return view


def casefile_for_staff(*, case: Case, viewer: User | None = None) -> CaseFileView:
    """Everything in the case, internal items included. A fixed number of
    queries, whatever the size of the file. The timeline reads as told to
    ``viewer``."""
    return _attach_reactions(
        CaseFileView(
            case=case,
            questions=list(SupportQuestion.objects.filter(case=case)),
            goals=_goals(case),
            agreements=list(Agreement.objects.filter(case=case).select_related("created_by")),
            notes=list(Note.objects.filter(case=case).select_related("author")),
            documents=list(Document.objects.filter(case=case).select_related("uploaded_by")),
            corrections=list(CorrectionRequest.objects.filter(case=case).select_related("requested_by", "answered_by")),
            comments=list(ResidentComment.objects.filter(case=case)),
            timeline=timeline_events_render(
                TimelineEvent.objects.filter(resident=case.resident).select_related("actor")[:TIMELINE_PAGE],
                viewer=viewer,
            ),
        )
    )


def casefile_for_resident(*, case: Case, viewer: User | None = None) -> CaseFileView:
    """What the resident sees: the plan (questions, goals, agreements) and
    shared notes and documents; never an internal item."""
    return _attach_reactions(
        CaseFileView(
            case=case,
            questions=list(SupportQuestion.objects.filter(case=case)),
            goals=_goals(case),
            agreements=list(Agreement.objects.filter(case=case, is_active=True).select_related("created_by")),
            notes=list(Note.objects.filter(case=case, is_shared=True).select_related("author")),
            documents=list(Document.objects.filter(case=case, is_shared=True).select_related("uploaded_by")),
            corrections=list(CorrectionRequest.objects.filter(case=case).select_related("answered_by")),
            comments=list(ResidentComment.objects.filter(case=case)),
            timeline=timeline_events_render(
                TimelineEvent.objects.filter(resident=case.resident, is_shared=True).select_related("actor")[
                    :TIMELINE_PAGE
                ],
                viewer=viewer,
            ),
        )
    )


def correction_item(*, correction: CorrectionRequest) -> object | None:
    from casefiles.services import ITEM_MODELS

    model = ITEM_MODELS.get(correction.item_kind)
    if model is None:
        return None
    return model.objects.filter(public_id=correction.item_public_id).first()


def upcoming_steps(*, view: CaseFileView) -> list[GoalAction]:
    """Open steps with a date, soonest first (from the goals already loaded)."""
    steps = [step for goal in view.goals for step in goal.actions.all() if step.due_date and not step.done_at]
    return sorted(steps, key=lambda step: step.due_date or date.max)


# --- What the case file adds to the caseload (organisations/caseload.py) ------------

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def caseload_counts_of_casefiles(worker: User) -> dict[str, Any]:
    """Open correction requests, and what the resident added (comments,
    uploads, correction requests) since ``worker`` last opened the file."""
    from casefiles.models import CaseFileVisit, CorrectionRequest, Document, ResidentComment

    last_seen = Coalesce(
        Subquery(CaseFileVisit.objects.filter(worker=worker, resident=OuterRef("pk")).values("last_seen_at")[:1]),
        Value(EPOCH),
    )
    since = {"case__resident": OuterRef("pk"), "created_at__gt": OuterRef("last_seen")}
    return {
        "open_corrections": count_per_resident(
            CorrectionRequest.objects.filter(case__resident=OuterRef("pk"), status="open"), "case__resident"
        ),
        "last_seen": last_seen,
        "new_comments": count_per_resident(ResidentComment.objects.filter(**since), "case__resident"),
        "new_documents": count_per_resident(
            Document.objects.filter(uploaded_by=OuterRef("pk"), **since), "case__resident"
        ),
        "new_corrections": count_per_resident(CorrectionRequest.objects.filter(**since), "case__resident"),
    }


CASELOAD_COUNTS = CaseloadCounts(
    name="casefiles",
    order=10,
    annotations=caseload_counts_of_casefiles,
    unread=("new_comments", "new_documents", "new_corrections"),
)


def resident_comments_by(*, resident: User) -> QuerySet[ResidentComment]:
    """The comments the resident wrote on their case file, oldest first."""
    return ResidentComment.objects.filter(case__resident=resident, author=resident).order_by("created_at", "id")


def correction_requests_by(*, resident: User) -> QuerySet[CorrectionRequest]:
    """The correction requests on the resident's case files, oldest first."""
    return CorrectionRequest.objects.filter(case__resident=resident).order_by("created_at", "id")


def documents_uploaded_by(*, resident: User) -> QuerySet[Document]:
    """The documents the resident uploaded to their own case files."""
    return Document.objects.filter(case__resident=resident, uploaded_by=resident).order_by("created_at", "id")


def notes_of_resident(*, resident: User, include_internal: bool) -> QuerySet[Note]:
    """Notes on the resident's case files: shared ones, and the internal ones
    only when ``include_internal`` (the organisation's export policy)."""
    notes = Note.objects.filter(case__resident=resident)
    if not include_internal:
        notes = notes.filter(is_shared=True)
    return notes.select_related("author").order_by("created_at", "id")


def case_figures_per_organisation(*, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """For the benchmark, per organisation over ``[starts, ends)``: the
    residents with a case open at some moment in it (``supported``), the
    cases opened (``opened``) and closed (``closed``) in it with their
    distinct residents. One grouped query whatever the number of cases."""
    opened = Q(opened_at__gte=starts)
    closed = Q(closed_at__gte=starts, closed_at__lt=ends)
    return [
        dict(row)
        for row in (
            Case.objects.filter(opened_at__lt=ends)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=starts))
            .order_by()
            .values("organisation_id")
            .annotate(
                supported=Count("resident_id", distinct=True),
                opened=Count("pk", filter=opened),
                opened_residents=Count("resident_id", distinct=True, filter=opened),
                closed=Count("pk", filter=closed),
                closed_residents=Count("resident_id", distinct=True, filter=closed),
            )
            .order_by("organisation_id")
        )
    ]


def residents_supported_between(*, starts: datetime, ends: datetime) -> QuerySet[User]:
    """The residents with a case open at some moment in ``[starts, ends)``
    (a subquery for other aggregates; nothing is fetched here)."""
    cases = Case.objects.filter(opened_at__lt=ends).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=starts))
    return User.objects.filter(pk__in=cases.values("resident_id"))


# --- "Liever in een gesprek" ------------------------------------------------------------


def talk_wishes_per_resident() -> Any:
    """For a list of residents (``annotate(talk_wishes=...)``): how many
    active goals, open steps and active agreements the resident marked
    "liever in een gesprek". Correlated subqueries: the list keeps its one
    query whatever its length."""
    wished = {"talk_wished_at__isnull": False}
    return (
        count_per_resident(
            Goal.objects.filter(case__resident=OuterRef("pk"), status=Goal.Status.ACTIVE, **wished), "case__resident"
        )
        + count_per_resident(
            GoalAction.objects.filter(goal__case__resident=OuterRef("pk"), done_at__isnull=True, **wished),
            "goal__case__resident",
        )
        + count_per_resident(
            Agreement.objects.filter(case__resident=OuterRef("pk"), is_active=True, **wished), "case__resident"
        )
    )


@dataclass(frozen=True)
class TalkWishItem:
    kind: str
    text: str
    wished_at: datetime | None


def talk_wishes_of_case(*, case: Case | None) -> list[TalkWishItem]:
    """The marked active goals, open steps and active agreements of the
    case, oldest mark first (one query, a UNION of the three), for the
    blend plan's review. The caller reached the resident through the policy."""
    if case is None:
        return []
    wished = {"talk_wished_at__isnull": False}
    goals = Goal.objects.filter(case=case, status=Goal.Status.ACTIVE, **wished).values_list(
        Value("goal"), "title", "talk_wished_at"
    )
    steps = GoalAction.objects.filter(goal__case=case, done_at__isnull=True, **wished).values_list(
        Value("step"), "description", "talk_wished_at"
    )
    agreements = Agreement.objects.filter(case=case, is_active=True, **wished).values_list(
        Value("agreement"), "text", "talk_wished_at"
    )
    labels = {"goal": _("doel"), "step": _("stap"), "agreement": _("afspraak")}
    rows = goals.order_by().union(steps.order_by(), agreements.order_by(), all=True).order_by("talk_wished_at")
    return [TalkWishItem(str(labels[kind]), text, wished_at) for kind, text, wished_at in rows]
