"""The worker's day ("Vandaag"): what needs a social worker, in one view.

Composed here, in the pages layer, from what the capabilities offer:
today's appointments and group sessions, requests waiting for a proposal or
a confirmation, conversations with unread messages, residents whose file has
open corrections or new comments and uploads, reviews due this week, and
the consultation-hour queue when the worker is on duty. Every section is a
fixed number of queries whatever the caseload's size, and every resident
named on the page is logged as listed (NEN 7513).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from appointments.calls import call_is_open, call_participant
from appointments.models import Appointment, AppointmentKind, AppointmentRequest
from appointments.selectors import agenda_awaiting_worker, agenda_for, agenda_group_sessions, open_requests_for
from audit.services import access_log_batched
from blend.attention import week_end
from casefiles.selectors import talk_wishes_per_resident
from diary.selectors import balance_margin, residents_with_skewed_balance
from messaging.consultation import is_on_duty
from messaging.models import ConsultationVisit, Conversation, Membership
from messaging.selectors import conversations_for
from organisations.selectors import caseload_list
from outcomes.selectors import matrix_at_review
from samenspraak.policy import residents_for_casework, residents_log_listed

# A long list on a busy day still fits the page: the rest is one click away.
SECTION_LIMIT = 25


@dataclass
class TodayAppointment:
    appointment: Appointment
    call_open: bool
    is_video: bool


@dataclass
class WorkerDay:
    today: date
    week_end: date
    appointments: list[TodayAppointment]
    sessions: list[Any]
    requests: list[AppointmentRequest]
    awaiting: list[Appointment]
    conversations: list[Conversation]
    conversations_total: int
    casefiles: list[User]
    casefiles_total: int
    reviews: list[User]
    reviews_total: int
    on_duty: bool
    queue: list[ConsultationVisit] = field(default_factory=list)
    # Residents whose shared diary shows more effort than relaxation two
    # weeks in a row: a gentle signal, not a count that asks for action.
    diary_skewed: list[User] = field(default_factory=list)
    diary_skewed_total: int = 0
    # Residents who marked a goal, step or agreement "liever in een gesprek".
    talk_wishes: list[User] = field(default_factory=list)
    talk_wishes_total: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """The figures at the top of the page, by section."""
        return {
            "appointments": len(self.appointments) + len(self.sessions),
            "requests": len(self.requests) + len(self.awaiting),
            "conversations": self.conversations_total,
            "casefiles": self.casefiles_total,
            "reviews": self.reviews_total,
            "queue": len(self.queue),
        }


def _unread_conversations(user: User) -> tuple[list[Conversation], int]:
    """Conversations with a message ``user`` has not read, newest first
    (two queries, also when there are few). A caseload resident's conversation counts as unread also
    before the worker first opened it."""
    read_up_to = Membership.objects.filter(conversation=OuterRef("pk"), user=user, left_at__isnull=True).values(
        "last_read_sequence"
    )[:1]
    unread = (
        conversations_for(user=user)
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), Value(0)))
        .filter(last_sequence__gt=F("read_up_to"))
        .annotate(unread_count=F("last_sequence") - F("read_up_to"))
    )
    rows: list[Conversation] = list(unread[:SECTION_LIMIT])
    return rows, unread.order_by().count()


def _limited(residents: Any) -> tuple[list[User], int]:
    # Always counted, so the page makes the same queries for any caseload.
    rows = list(residents[:SECTION_LIMIT])
    return rows, residents.order_by().count()


def worker_day(user: User) -> WorkerDay:
    # Every resident named on the page is logged, in one append for the page.
    with access_log_batched():
        return _worker_day(user)


def _worker_day(user: User) -> WorkerDay:
    today = timezone.localdate()
    now = timezone.now()
    last_day = week_end(today)

    appointments = [
        TodayAppointment(
            appointment=appointment,
            call_open=call_participant(user, appointment) and call_is_open(appointment, now),
            is_video=appointment.kind == AppointmentKind.VIDEO,
        )
        for appointment in agenda_for(viewer=user, worker=user, first_day=today, days=1, include_cancelled=False)
    ]
    sessions = agenda_group_sessions(viewer=user, worker=user, first_day=today, days=1)
    requests = open_requests_for(viewer=user)
    awaiting = agenda_awaiting_worker(viewer=user, worker=user)

    conversations, conversations_total = _unread_conversations(user)
    residents_log_listed(
        user=user,
        residents={c.resident_id: c.resident for c in conversations if c.resident is not None}.values(),
        object_type="conversation",
    )

    caseload = caseload_list(user=user)
    # The counts are annotations the capabilities provide (organisations/
    # caseload.py): by name, the type checker cannot see them on the model.
    casefiles, casefiles_total = _limited(
        caseload.filter(Q(open_corrections__gt=0) | Q(new_documents__gt=0) | Q(new_comments__gt=0))
    )
    reviews, reviews_total = _limited(
        caseload.filter(**{"next_review__lte": last_day}).order_by(F("next_review").asc(), "pk")
    )
    residents_log_listed(user=user, residents={r.pk: r for r in [*casefiles, *reviews]}.values())
    # Preparing a review: is the latest ZRM still valid on the review day?
    # One query for the whole list (outcomes decides what "outdated" means).
    matrices = matrix_at_review(review_days={r.pk: r.next_review for r in reviews})  # type: ignore[attr-defined]
    for resident in reviews:
        resident.matrix_at_review = matrices.get(resident.pk)  # type: ignore[attr-defined]
    diary_skewed, diary_skewed_total = _limited(
        residents_with_skewed_balance(
            residents=residents_for_casework(user), today=today, margin=balance_margin(user.organisation_id)
        ).order_by("last_name", "first_name", "pk")
    )
    residents_log_listed(user=user, residents=diary_skewed, object_type="diary")
    talk_wishes, talk_wishes_total = _limited(
        caseload.annotate(talk_wishes=talk_wishes_per_resident())
        .filter(talk_wishes__gt=0)
        .order_by("last_name", "first_name", "pk")
    )
    residents_log_listed(user=user, residents=talk_wishes)

    on_duty = is_on_duty(user=user)
    queue: list[ConsultationVisit] = []
    if on_duty and user.organisation_id is not None:
        # Anonymous visitors: nobody's record is read, nothing to log.
        queue = list(
            ConsultationVisit.objects.filter(
                organisation_id=user.organisation_id, status=ConsultationVisit.Status.WAITING
            ).order_by("created_at")[:SECTION_LIMIT]
        )
    return WorkerDay(
        today=today,
        week_end=last_day,
        appointments=appointments,
        sessions=sessions,
        requests=requests,
        awaiting=awaiting,
        conversations=conversations,
        conversations_total=conversations_total,
        casefiles=casefiles,
        casefiles_total=casefiles_total,
        reviews=reviews,
        reviews_total=reviews_total,
        on_duty=on_duty,
        queue=queue,
        diary_skewed=diary_skewed,
        diary_skewed_total=diary_skewed_total,
        talk_wishes=talk_wishes,
        talk_wishes_total=talk_wishes_total,
    )
