"""The activity diary's pages: the resident writes and reads their own week;
a coach reads the shared weeks of a resident on their caseload and leaves
a comment. Every page reaches the resident through ``diary.access`` or the
policy core, which log the read or the refusal."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from diary import selectors
from diary.access import diary_entry_get_for_user, diary_is_shared, diary_resident_get_for_coach
from diary.chart import Chart, bar_chart
from diary.forms import CommentForm, DiaryRuleForm, EntryForm, ReminderForm
from diary.models import Effort, Mood, Relaxation
from diary.services import (
    DiaryError,
    diary_comment_add,
    diary_entry_add,
    diary_entry_change,
    diary_entry_delete,
    diary_reminder_set,
    diary_rule_set,
)
from samenspraak.dates import day_from_query
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, require_permission, resident_get_for_user
from samenspraak.spreadsheet import csv_cell_safe

SCALES = {"effort": Effort, "relaxation": Relaxation, "mood": Mood}


def _me(request: AuthenticatedHttpRequest, *, action: str = Action.VIEW, object_type: str = "diary") -> User:
    """The signed-in resident; a trusted person gets 404 (the diary is the
    resident's own)."""
    return resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type=object_type
    )


def _week_start(request: AuthenticatedHttpRequest) -> date:
    today = timezone.localdate()
    day = day_from_query(request.GET.get("week") or request.POST.get("week"), default=today)
    return selectors.week_start_of(day or today)


def _week_url(name: str, week_start: date, **kwargs: Any) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?week={week_start.isoformat()}"


def _charts(week: selectors.DiaryWeek) -> tuple[Chart, Chart]:
    days = bar_chart([(date_format(row.day, "D j"), row.effort, row.relaxation) for row in week.days])
    weeks = bar_chart([(date_format(w.week_start, "j M"), w.effort, w.relaxation) for w in week.earlier])
    return days, weeks


def _week_context(week: selectors.DiaryWeek) -> dict[str, Any]:
    day_chart, week_chart = _charts(week)
    return {
        "week": week,
        "day_chart": day_chart,
        "week_chart": week_chart,
        "is_this_week": week.week_start == selectors.week_start_of(timezone.localdate()),
    }


# --- The resident ------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def week_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request)
    week = selectors.diary_week(resident=resident, week_start=_week_start(request), include_private=True)
    return render(
        request,
        "diary/week.html",
        {**_week_context(week), "is_shared": diary_is_shared(resident=resident)},
    )


def _entry_form_page(request: AuthenticatedHttpRequest, form: EntryForm, resident: User, entry: Any = None) -> Any:
    return render(
        request,
        "diary/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "frequent": selectors.frequent_activities(resident=resident),
            "is_shared": diary_is_shared(resident=resident),
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def entry_add_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, action=Action.CREATE if request.method == "POST" else Action.VIEW)
    day = day_from_query(request.GET.get("dag"), default=timezone.localdate()) or timezone.localdate()
    form = EntryForm(request.POST or None, initial={"day": day, "client_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            entry = diary_entry_add(
                resident=resident,
                added_by=request.user,
                data=form.entry_data(),
                client_key=form.cleaned_data["client_key"],
            )
        except DiaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen: %(what)s.") % {"what": entry.what})
            return redirect(_week_url("diary:week", selectors.week_start_of(entry.day)))
    return _entry_form_page(request, form, resident)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def entry_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    entry = diary_entry_get_for_user(user=request.user, public_id=public_id, action=action)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            entry = diary_entry_change(entry=entry, changed_by=request.user, data=form.entry_data())
        except DiaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De activiteit is gewijzigd."))
            return redirect(_week_url("diary:week", selectors.week_start_of(entry.day)))
    return _entry_form_page(request, form, entry.resident, entry)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def entry_delete_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    entry = diary_entry_get_for_user(user=request.user, public_id=public_id, action=Action.DELETE)
    try:
        diary_entry_delete(entry=entry, deleted_by=request.user)
    except DiaryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De activiteit is verwijderd."))
    return redirect(_week_url("diary:week", selectors.week_start_of(entry.day)))


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def reminder_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, action=Action.CHANGE if request.method == "POST" else Action.VIEW)
    reminder = selectors.diary_reminder_of(resident=resident)
    initial = {"is_on": reminder.is_on, "at": reminder.at} if reminder else {"is_on": False, "at": None}
    form = ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            diary_reminder_set(
                resident=resident, set_by=request.user, is_on=form.cleaned_data["is_on"], at=form.cleaned_data["at"]
            )
        except DiaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De herinnering staat aan.") if form.cleaned_data["is_on"] else _("De herinnering staat uit."),
            )
            return redirect("diary:week")
    return render(request, "diary/reminder.html", {"form": form})


# --- Export -----------------------------------------------------------------------

CSV_HEADER = [
    "dag",
    "begintijd",
    "minuten",
    "wat",
    "inspanning",
    "inspanning_woord",
    "ontspanning",
    "ontspanning_woord",
    "stemming",
    "stemming_woord",
    "notitie",
    "alleen_voor_mij",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(resident: User) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for entry in selectors.diary_entries_all(resident=resident):
        yield writer.writerow(
            [
                entry.day.isoformat(),
                entry.start_time.strftime("%H:%M") if entry.start_time else "",
                entry.minutes,
                csv_cell_safe(entry.what),
                entry.effort,
                str(Effort(entry.effort).label),
                entry.relaxation,
                str(Relaxation(entry.relaxation).label),
                entry.mood or "",
                str(Mood(entry.mood).label) if entry.mood else "",
                csv_cell_safe(entry.note),
                "ja" if entry.is_private else "nee",
            ]
        )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def export_csv_view(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    resident = _me(request, action=Action.EXPORT)
    response = StreamingHttpResponse(_csv_rows(resident), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dagboek-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def print_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, object_type="diary_print")
    return render(
        request,
        "diary/print.html",
        {
            "entries": list(selectors.diary_entries_all(resident=resident)),
            "comments": selectors.diary_comments_all(resident=resident),
            "resident": resident,
        },
    )


# --- The coach ----------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_week_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = diary_resident_get_for_coach(user=request.user, public_id=public_id)
    week = selectors.diary_week(resident=resident, week_start=_week_start(request), include_private=False)
    return render(
        request,
        "diary/staff_week.html",
        {**_week_context(week), "resident": resident, "form": CommentForm(), "margin": week.total.margin},
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_comment_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = diary_resident_get_for_coach(user=request.user, public_id=public_id, action=Action.CREATE)
    week_start = _week_start(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            diary_comment_add(
                resident=resident, week_start=week_start, author=request.user, text=form.cleaned_data["text"]
            )
        except DiaryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Uw opmerking is opgeslagen. De inwoner ziet haar bij deze week."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return redirect(_week_url("diary:staff_week", week_start, public_id=resident.public_id))


# --- The organisation's rule --------------------------------------------------------


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def rule_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    assert organisation is not None
    current = selectors.balance_margin(organisation.pk)
    form = DiaryRuleForm(request.POST or None, initial={"balance_margin": current})
    if request.method == "POST" and form.is_valid():
        try:
            diary_rule_set(
                organisation=organisation, balance_margin=form.cleaned_data["balance_margin"], set_by=request.user
            )
        except DiaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De regel voor het signaal is opgeslagen."))
            return redirect("diary:rule")
    return render(
        request,
        "diary/rule.html",
        {"form": form, "current": current, "default": selectors.default_balance_margin()},
    )
