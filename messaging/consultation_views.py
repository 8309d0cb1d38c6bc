"""Pages of the chat consultation hour: the visitor's (no account needed),
the on-duty worker's queue, and the admin's weekly windows."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASEWORK_ROLES, Role, User
from accounts.services import InvitationError
from messaging import consultation
from messaging.forms import MessageForm
from messaging.models import ConsultationHour, ConsultationVisit, sequence_from_text
from messaging.services import MessagingError, message_payload, message_send
from organisations.models import Location, Organisation
from samenspraak.dates import ClockTimeField
from samenspraak.forms import PlainTextField
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    organisation_id_of,
    parse_public_id,
    require_permission,
    residents_log_listed,
)


class VisitStartForm(forms.Form):
    name = PlainTextField(
        label=gettext_lazy("Hoe mogen we u noemen? (niet verplicht)"),
        help_text=gettext_lazy("Alleen een voornaam is genoeg. U hoeft geen achternaam of adres te geven."),
        max_length=60,
        required=False,
    )


class FollowUpForm(forms.Form):
    first_name = PlainTextField(label=gettext_lazy("Voornaam"), max_length=100)
    last_name = PlainTextField(label=gettext_lazy("Achternaam"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("E-mailadres (niet verplicht)"), required=False)


class HourForm(forms.Form):
    weekday = forms.TypedChoiceField(label=gettext_lazy("Dag"), choices=ConsultationHour.Weekday.choices, coerce=int)
    starts_at = ClockTimeField(label=gettext_lazy("Van"))
    ends_at = ClockTimeField(label=gettext_lazy("Tot"))
    on_duty = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sociaal werkers met dienst"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args: object, workers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["on_duty"].queryset = workers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["starts_at"] >= cleaned["ends_at"]:
            self.add_error("ends_at", _("De eindtijd moet na de begintijd liggen."))
        return cleaned


def _organisation_by_code(code: str) -> Organisation:
    organisation = Organisation.objects.filter(consultation_code=code.lower()).first()
    if organisation is None:
        raise Http404
    return organisation


def _current_visit(request: HttpRequest, *, include_closed: bool = False) -> ConsultationVisit | None:
    token = request.COOKIES.get(consultation.VISIT_COOKIE, "")
    return consultation.visit_from_token(token, include_closed=include_closed) if token else None


def _hours_and_places(organisation: Organisation) -> dict[str, object]:
    """What a visitor needs to reach the organisation another way."""
    return {
        "org": organisation,
        "hours": ConsultationHour.objects.filter(organisation=organisation),
        "locations": Location.objects.filter(organisation=organisation, is_active=True).order_by("name"),
    }


@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """``/spreekuur/``: every organisation's consultation hour, or straight
    to the only one."""
    organisations = list(
        Organisation.objects.filter(consultation_code__isnull=False).exclude(consultation_code="").order_by("name")
    )
    if len(organisations) == 1:
        return redirect("messaging:visit_start", code=organisations[0].consultation_code)
    hours: dict[int, list[ConsultationHour]] = {}
    for hour in ConsultationHour.objects.filter(organisation__in=organisations):
        hours.setdefault(hour.organisation_id, []).append(hour)
    rows = [(organisation, hours.get(organisation.pk, [])) for organisation in organisations]
    return render(request, "messaging/consultation_index.html", {"rows": rows})


@require_GET
def next_steps_view(request: HttpRequest, code: str) -> HttpResponse:
    """Where a visitor ends: how to call, visit or chat again."""
    organisation = _organisation_by_code(code)
    return render(request, "messaging/consultation_next_steps.html", _hours_and_places(organisation))


# --- The visitor -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def visit_start_view(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _organisation_by_code(code)
    visit = _current_visit(request)
    if visit is not None and visit.organisation_id == organisation.pk:
        return redirect("messaging:visit")
    form = VisitStartForm(request.POST or None)
    is_open = consultation.window_now(organisation=organisation) is not None
    if request.method == "POST" and form.is_valid():
        resident = request.user if request.user.is_authenticated and request.user.role == Role.RESIDENT else None
        try:
            visit = consultation.visit_start(
                organisation=organisation, name=form.cleaned_data["name"], resident=resident
            )  # type: ignore[arg-type]
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            response = redirect("messaging:visit")
            response.set_cookie(
                consultation.VISIT_COOKIE,
                consultation.visit_token(visit),
                max_age=12 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(
        request,
        "messaging/consultation_start.html",
        {
            "org": organisation,
            "form": form,
            "is_open": is_open,
            "next_start": None if is_open else consultation.next_window_start(organisation=organisation),
            "hours": ConsultationHour.objects.filter(organisation=organisation),
        },
    )


@require_GET
def visit_view(request: HttpRequest) -> HttpResponse:
    visit = _current_visit(request, include_closed=True)
    if visit is None:
        return render(request, "messaging/consultation_ended.html", status=404)
    if visit.status == ConsultationVisit.Status.CLOSED:
        # The visitor keeps the answer: read-only, to save or print, until
        # they leave (the cookie) or the transcript is purged.
        return render(
            request,
            "messaging/consultation_closed.html",
            {"visit": visit, "rows": consultation.transcript_messages(visit), "me": visit.visitor},
        )
    place = consultation.queue_place(visit) if visit.status == ConsultationVisit.Status.WAITING else None
    conversation = visit.conversation
    assert conversation is not None
    page = list(conversation.messages.select_related("author").order_by("sequence"))
    return render(
        request,
        "messaging/consultation_visit.html",
        {
            "visit": visit,
            "place": place,
            "conversation": conversation,
            "rows": page,
            "me": visit.visitor,
            "form": MessageForm(initial={"client_key": uuid.uuid4().hex}),
            "last_sequence": page[-1].sequence if page else 0,
            "payloads": [message_payload(m) for m in page],
        },
    )


@require_GET
def visit_transcript_view(request: HttpRequest) -> HttpResponse:
    """The conversation as a file to keep: plain text, or a web page."""
    visit = _current_visit(request, include_closed=True)
    if visit is None or visit.conversation is None:
        raise Http404
    moment = timezone.localtime(visit.created_at)
    if request.GET.get("vorm") == "html":
        response = render(
            request,
            "messaging/consultation_transcript.html",
            {"visit": visit, "rows": consultation.transcript_messages(visit)},
        )
        extension = "html"
    else:
        heading = _("Chatspreekuur van %(name)s, %(date)s") % {
            "name": visit.organisation.name,
            "date": formats.date_format(moment, "j F Y"),
        }
        body = f"{heading}\n\n{consultation.transcript_text(visit)}\n"
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        extension = "txt"
    response["Content-Disposition"] = f'attachment; filename="chatspreekuur-{moment:%Y-%m-%d}.{extension}"'
    return response


@require_POST
def visit_send_view(request: HttpRequest) -> HttpResponse:
    # A closed visit still reaches the service, which says in words why
    # nothing more can be sent.
    visit = _current_visit(request, include_closed=True)
    if visit is None or visit.conversation is None:
        raise Http404
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = MessageForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            result = message_send(
                conversation=visit.conversation,
                author=visit.visitor,
                body=form.cleaned_data["body"],
                client_key=form.cleaned_data["client_key"],
            )
        except MessagingError as refused:
            error = str(refused)
        else:
            if wants_json:
                return JsonResponse({"type": "ack", "message": message_payload(result.message)})
            return redirect("messaging:visit")
    else:
        error = str(next(iter(form.errors.values()))[0])
    if wants_json:
        return JsonResponse({"type": "error", "message": error}, status=400)
    messages.error(request, error)
    return redirect("messaging:visit")


@require_GET
def visit_since_view(request: HttpRequest) -> JsonResponse:
    visit = _current_visit(request, include_closed=True)
    if visit is None or visit.conversation is None:
        raise Http404
    after = sequence_from_text(request.GET.get("na", "0"))
    if after is None:
        return JsonResponse({"type": "error", "message": _("Dit volgnummer klopt niet.")}, status=400)
    page = list(
        visit.conversation.messages.filter(sequence__gt=after).select_related("author").order_by("sequence")[:200]
    )
    return JsonResponse({"type": "messages", "messages": [message_payload(m) for m in page], "more": len(page) == 200})


@require_POST
def visit_consent_view(request: HttpRequest) -> HttpResponse:
    visit = _current_visit(request)
    if visit is None:
        raise Http404
    consultation.visit_consent_to_follow_up(visit=visit)
    messages.success(request, _("Dank u. De sociaal werker mag u uitnodigen en dit gesprek bewaren."))
    return redirect("messaging:visit")


@require_POST
def visit_consent_withdraw_view(request: HttpRequest) -> HttpResponse:
    visit = _current_visit(request, include_closed=True)
    if visit is None:
        raise Http404
    consultation.visit_consent_withdraw(visit=visit)
    messages.success(request, _("Uw toestemming is ingetrokken. Dit gesprek wordt niet bewaard."))
    return redirect("messaging:visit")


@require_POST
def visit_leave_view(request: HttpRequest) -> HttpResponse:
    """The visitor leaves (stops a running chat, or closes the read-only
    page after the worker closed it) and lands on the next steps."""
    visit = _current_visit(request, include_closed=True)
    if visit is None:
        response = render(request, "messaging/consultation_ended.html")
    else:
        consultation.visit_close(visit=visit, closed_by=visit.visitor)
        response = redirect("messaging:next_steps", code=visit.organisation.consultation_code)
    response.delete_cookie(consultation.VISIT_COOKIE)
    return response


# --- The worker on duty --------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def queue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    assert organisation is not None
    waiting = list(
        ConsultationVisit.objects.filter(organisation=organisation, status=ConsultationVisit.Status.WAITING)
        .select_related("visitor")
        .order_by("created_at")
    )
    on_duty = request.user in consultation.workers_on_duty(organisation=organisation)
    questions = consultation.first_questions(waiting)
    context = {
        "waiting": [(visit, questions.get(visit.pk, "")) for visit in waiting],
        "on_duty": on_duty,
    }
    if request.GET.get("deel") == "wachtrij":
        # Only the waiting list, for the page's live update (static/js/queue.js).
        residents_log_listed(
            user=request.user,
            residents=[visit.visitor for visit in waiting if not visit.is_anonymous],
            object_type="consultation_visit",
        )
        return render(request, "messaging/consultation_queue.html#waiting", context)
    mine = list(
        ConsultationVisit.objects.filter(
            picked_up_by=request.user, status=ConsultationVisit.Status.ACTIVE
        ).select_related("visitor", "conversation")
    )
    # Residents in the queue are shown by name: a read of their data.
    residents_log_listed(
        user=request.user,
        residents=[visit.visitor for visit in [*waiting, *mine] if not visit.is_anonymous],
        object_type="consultation_visit",
    )
    return render(
        request,
        "messaging/consultation_queue.html",
        {
            **context,
            "mine": mine,
            "is_open": consultation.window_now(organisation=organisation) is not None,
            "code": organisation.consultation_code,
        },
    )


def _visit_for_worker(request: AuthenticatedHttpRequest, public_id: str) -> ConsultationVisit:
    visit = (
        ConsultationVisit.objects.select_related("conversation", "visitor")
        .filter(public_id=parse_public_id(public_id), organisation_id=organisation_id_of(request.user))
        .first()
    )
    if visit is None:
        raise Http404
    return visit


@require_permission(Permission.USE_CASEWORK)
@require_POST
def pick_up_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    visit = _visit_for_worker(request, public_id)
    try:
        consultation.visit_pick_up(visit=visit, worker=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
        return redirect("messaging:queue")
    assert visit.conversation is not None
    return redirect("messaging:conversation", public_id=visit.conversation.public_id)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def close_visit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    visit = _visit_for_worker(request, public_id)
    try:
        consultation.visit_close(visit=visit, closed_by=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het gesprek is afgesloten. De bezoeker kan het nog lezen en bewaren."))
    return redirect("messaging:queue")


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def follow_up_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    visit = _visit_for_worker(request, public_id)
    if visit.picked_up_by_id != request.user.pk:
        raise Http404
    form = FollowUpForm(request.POST or None, initial={"first_name": visit.visitor.first_name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = consultation.visit_follow_up(
                visit=visit,
                worker=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                channel="email" if data["email"] else "letter",
            )
        except (MessagingError, InvitationError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("De bezoeker is uitgenodigd. Het gesprek staat als interne notitie in het dossier.")
            )
            return redirect("organisations:resident_detail", public_id=resident.public_id)
    return render(request, "messaging/consultation_follow_up.html", {"visit": visit, "form": form})


# --- The organisation admin -------------------------------------------------------------------


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def hours_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id = organisation_id_of(request.user)
    workers = User.objects.filter(organisation_id=organisation_id, role__in=CASEWORK_ROLES, is_active=True)
    form = HourForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        consultation.hour_add(organisation_id=organisation_id, **form.cleaned_data)
        messages.success(request, _("Het spreekuur is toegevoegd."))
        return redirect("messaging:hours")
    hours = ConsultationHour.objects.filter(organisation_id=organisation_id).prefetch_related("on_duty")
    return render(request, "messaging/consultation_hours.html", {"form": form, "hours": hours})


@require_permission(Permission.MANAGE_ORGANISATION)
@require_POST
def hour_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    deleted = consultation.hour_delete(organisation_id=organisation_id_of(request.user), pk=pk)
    if not deleted:
        raise Http404
    messages.success(request, _("Het spreekuur is verwijderd."))
    return redirect("messaging:hours")
