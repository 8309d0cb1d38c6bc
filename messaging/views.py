"""Conversation pages. They work without JavaScript (a plain form post);
static/js/chat.js adds the real-time socket and falls back to polling."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASEWORK_ROLES, Role, User
from messaging import selectors
from messaging.access import MESSAGES_SCOPE, conversation_get_for_user, message_get_for_user
from messaging.forms import AddMemberForm, GroupForm, MessageEditForm, MessageForm, SearchForm
from messaging.models import ConsultationVisit, Conversation, sequence_from_text
from messaging.services import (
    EDIT_WINDOW,
    MessagingError,
    conversation_direct_open,
    conversation_group_create,
    group_member_add,
    group_member_remove,
    membership_ensure,
    message_delete,
    message_edit,
    message_hide,
    message_payload,
    message_report,
    message_send,
    read_mark,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    organisation_id_of,
    parse_public_id,
    require_permission,
    resident_get_for_user,
    residents_for_casework,
    residents_log_listed,
)

# Who reads other people's conversations: listing them is a logged read.
LOGGED_READERS = frozenset({*CASEWORK_ROLES, Role.TRUSTED_PERSON})


def _conversation_title(conversation: Conversation, user: Any, visit: ConsultationVisit | None = None) -> str:
    if conversation.kind == Conversation.Kind.GROUP:
        return conversation.title
    if conversation.kind == Conversation.Kind.CONSULTATION:
        name = visit.visitor.first_name if visit is not None else ""
        return _("Chatspreekuur: %(name)s") % {"name": name} if name else _("Chatspreekuur")
    if conversation.resident_id == user.pk:
        return _("Uw sociaal werker")
    return conversation.resident.full_name if conversation.resident else ""


@require_permission(Permission.USE_MESSAGING)
@require_GET
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    conversations = list(selectors.conversations_for(user=request.user)[:100])
    if request.user.role in LOGGED_READERS:
        # The list shows residents' names: that is a read of their data.
        residents_log_listed(
            user=request.user, residents=[c.resident for c in conversations if c.resident], object_type="conversation"
        )
    unread = selectors.unread_by_conversation(user=request.user)
    rows = [(c, _conversation_title(c, request.user), unread.get(c.pk, 0)) for c in conversations]
    return render(request, "messaging/inbox.html", {"rows": rows, "search_form": SearchForm()})


@require_permission(Permission.USE_MESSAGING)
@require_GET
def conversation_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, public_id=public_id)
    membership_ensure(conversation=conversation, user=request.user)
    before = sequence_from_text(request.GET.get("voor"))
    page = selectors.messages_page(conversation=conversation, before=before)
    if page and before is None:
        read_mark(conversation=conversation, user=request.user, sequence=page[-1].sequence)
    members = selectors.read_by(conversation=conversation)
    now = timezone.now()
    rows = [
        {
            "message": m,
            "mine": m.author_id == request.user.pk,
            "editable": m.author_id == request.user.pk and now - m.created_at <= EDIT_WINDOW,
            "warnings": selectors.warnings_for(m.body) if m.author_id != request.user.pk else [],
            "read_by": [
                member.display_name
                for member in members
                if member.user_id != m.author_id and member.last_read_sequence >= m.sequence
            ],
        }
        for m in page
    ]
    is_staff = request.user.role in CASEWORK_ROLES
    visit = None
    form = MessageForm(initial={"client_key": uuid.uuid4().hex})
    if conversation.kind == Conversation.Kind.CONSULTATION:
        visit = ConsultationVisit.objects.select_related("visitor").filter(conversation=conversation).first()
        del form.fields["attachment"]  # the visitor could not open it
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": conversation,
            "title": _conversation_title(conversation, request.user, visit),
            "visit": visit,
            "question": _first_question(visit, page) if visit is not None else "",
            "casefile_resident": _casefile_resident(request.user, conversation, visit) if is_staff else None,
            "edit_seconds": int(EDIT_WINDOW.total_seconds()),
            "rows": rows,
            "form": form,
            "first_sequence": page[0].sequence if page else 0,
            "last_sequence": page[-1].sequence if page else 0,
            "is_staff": is_staff,
            "members": members,
        },
    )


def _first_question(visit: ConsultationVisit, page: list[Any]) -> str:
    """The visitor's first message, named in the worker's page heading."""
    return next((m.body for m in page if m.author_id == visit.visitor_id and m.is_visible and m.body), "")


def _casefile_resident(user: User, conversation: Conversation, visit: ConsultationVisit | None) -> User | None:
    """The resident whose case file the worker can open from this
    conversation: the direct conversation's resident, or a resident who came
    to the consultation hour and is on the worker's caseload."""
    if conversation.kind == Conversation.Kind.DIRECT:
        return conversation.resident
    if visit is not None and not visit.is_anonymous:
        return residents_for_casework(user).filter(pk=visit.visitor_id).first()
    return None


def _wants_json(request: AuthenticatedHttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_permission(Permission.USE_MESSAGING)
@require_POST
def message_send_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Plain form post (no JavaScript) or the fallback when the socket is down."""
    conversation = conversation_get_for_user(user=request.user, public_id=public_id, action="create")
    form = MessageForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            # Joining and sending are one change: a refused message leaves
            # no membership behind.
            with transaction.atomic():
                membership_ensure(conversation=conversation, user=request.user)
                result = message_send(
                    conversation=conversation,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    client_key=form.cleaned_data["client_key"],
                    upload=form.cleaned_data.get("attachment"),
                )
        except MessagingError as refused:
            error = str(refused)
        else:
            if _wants_json(request):
                return JsonResponse({"type": "ack", "message": message_payload(result.message)})
            return redirect(f"/berichten/{conversation.public_id}/#laatste")
    else:
        error = str(next(iter(form.errors.values()))[0])
    if _wants_json(request):
        return JsonResponse({"type": "error", "message": error}, status=400)
    messages.error(request, error)
    return redirect(f"/berichten/{conversation.public_id}/#bericht-schrijven")


@require_permission(Permission.USE_MESSAGING)
@require_GET
def messages_since_view(request: AuthenticatedHttpRequest, public_id: str) -> JsonResponse:
    """Polling fallback: messages after ``na`` (a sequence number)."""
    conversation = conversation_get_for_user(user=request.user, public_id=public_id)
    after = sequence_from_text(request.GET.get("na", "0"))
    if after is None:
        return JsonResponse({"type": "error", "message": _("Dit volgnummer klopt niet.")}, status=400)
    page = list(conversation.messages.filter(sequence__gt=after).select_related("author").order_by("sequence")[:200])
    return JsonResponse({"type": "messages", "messages": [message_payload(m) for m in page], "more": len(page) == 200})


@require_permission(Permission.USE_MESSAGING)
@require_http_methods(["GET", "POST"])
def message_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    message = message_get_for_user(user=request.user, public_id=public_id, action="change")
    if message.author_id != request.user.pk:
        raise Http404
    form = MessageEditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            message_edit(message=message, editor=request.user, body=form.cleaned_data["body"])
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Uw bericht is gewijzigd."))
            return redirect(f"/berichten/{message.conversation.public_id}/#bericht-{message.sequence}")
    return render(request, "messaging/message_edit.html", {"form": form, "message": message})


@require_permission(Permission.USE_MESSAGING)
@require_POST
def message_delete_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    message = message_get_for_user(user=request.user, public_id=public_id, action="delete")
    try:
        message_delete(message=message, deleted_by=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Uw bericht is verwijderd."))
    return redirect(f"/berichten/{message.conversation.public_id}/")


@require_permission(Permission.USE_MESSAGING)
@require_POST
def message_report_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    message = message_get_for_user(user=request.user, public_id=public_id)
    try:
        message_report(message=message, reporter=request.user, reason=request.POST.get("reason", "")[:500])
    except MessagingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bedankt. Een sociaal werker bekijkt dit bericht."))
    return redirect(f"/berichten/{message.conversation.public_id}/")


@require_permission(Permission.USE_CASEWORK)
@require_POST
def message_hide_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    message = message_get_for_user(user=request.user, public_id=public_id, action="change")
    try:
        message_hide(message=message, moderator=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het bericht is verborgen."))
    return redirect(f"/berichten/{message.conversation.public_id}/")


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_chat_open_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user, public_id=public_id, action="create", object_type="conversation"
    )
    try:
        conversation = conversation_direct_open(resident=resident, opened_by=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
        return redirect("casefiles:staff_casefile", public_id=resident.public_id)
    return redirect(f"/berichten/{conversation.public_id}/")


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def resident_chat_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The resident's way to their worker: opens the chat when chat is on,
    otherwise explains how to switch it on or call or visit instead."""
    resident = resident_get_for_user(user=request.user, public_id=request.user.public_id, object_type="conversation")
    existing = Conversation.objects.filter(kind=Conversation.Kind.DIRECT, resident=resident).first()
    if existing is not None:
        return redirect(f"/berichten/{existing.public_id}/")
    if request.method == "POST":
        try:
            conversation = conversation_direct_open(resident=resident, opened_by=request.user)
        except MessagingError as error:
            messages.error(request, str(error))
        else:
            return redirect(f"/berichten/{conversation.public_id}/")
    from blend.selectors import resident_consents_to
    from organisations.models import Location

    return render(
        request,
        "messaging/resident_chat.html",
        {
            "chat_on": resident_consents_to(resident=resident, channel="chat"),
            "locations": Location.objects.filter(organisation_id=organisation_id_of(resident), is_active=True),
        },
    )


@require_permission(Permission.USE_MESSAGING)
@require_GET
def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = list(selectors.message_search(user=request.user, query=form.cleaned_data["q"])) if form.is_valid() else []
    if request.user.role in LOGGED_READERS:
        residents = {m.conversation.resident.pk: m.conversation.resident for m in results if m.conversation.resident}
        residents_log_listed(user=request.user, residents=residents.values(), object_type="message")
    return render(request, "messaging/search.html", {"form": form, "results": results})


@require_permission(Permission.USE_MESSAGING)
@require_GET
def attachment_view(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    message = message_get_for_user(user=request.user, public_id=public_id)
    if not message.attachment or not message.is_visible:
        raise Http404
    response = FileResponse(
        message.attachment.open("rb"),
        content_type=message.attachment_type,
        as_attachment=True,
        filename="samenspraak-bijlage",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def group_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    residents = residents_for_casework(request.user).filter(is_active=True).order_by("first_name")
    form = GroupForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_group_create(
                title=form.cleaned_data["title"],
                created_by=request.user,
                residents=list(form.cleaned_data["residents"]),
            )
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De groep is gemaakt."))
            return redirect("messaging:conversation", public_id=conversation.public_id)
    return render(request, "messaging/group_create.html", {"form": form})


@require_permission(Permission.USE_MESSAGING)
@require_http_methods(["GET", "POST"])
def group_members_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, public_id=public_id)
    if conversation.kind != Conversation.Kind.GROUP:
        raise Http404
    members = selectors.read_by(conversation=conversation)
    is_moderator = any(m.user_id == request.user.pk and m.is_moderator for m in members)
    form = None
    if is_moderator:
        candidates = (
            residents_for_casework(request.user).filter(is_active=True).exclude(pk__in=[m.user_id for m in members])
        )
        form = AddMemberForm(request.POST or None, residents=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                group_member_add(
                    conversation=conversation, resident=form.cleaned_data["resident"], added_by=request.user
                )
            except MessagingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("De deelnemer is toegevoegd."))
                return redirect("messaging:group_members", public_id=conversation.public_id)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "messaging/group_members.html",
        {"conversation": conversation, "members": members, "is_moderator": is_moderator, "form": form},
    )


@require_permission(Permission.USE_MESSAGING)
@require_POST
def group_member_remove_view(request: AuthenticatedHttpRequest, public_id: str, member_id: str) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, public_id=public_id, action="change")
    member = User.objects.filter(public_id=parse_public_id(member_id)).first()
    if member is None:
        raise Http404
    try:
        group_member_remove(conversation=conversation, member=member, removed_by=request.user)
    except MessagingError as error:
        messages.error(request, str(error))
        return redirect("messaging:group_members", public_id=conversation.public_id)
    if member.pk == request.user.pk:
        messages.success(request, _("U doet niet meer mee met deze groep."))
        return redirect("messaging:inbox")
    messages.success(request, _("De deelnemer is verwijderd uit de groep."))
    return redirect("messaging:group_members", public_id=conversation.public_id)


@require_permission(Permission.USE_MESSAGING)
@require_GET
def trusted_messages_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A trusted person granted "messages" goes to the resident's conversation
    with their workers; before anyone opened it, they are told so."""
    if request.user.role != Role.TRUSTED_PERSON:
        raise Http404
    resident = resident_get_for_user(
        user=request.user, public_id=public_id, object_type="conversation", scope=MESSAGES_SCOPE
    )
    existing = Conversation.objects.filter(kind=Conversation.Kind.DIRECT, resident=resident).first()
    if existing is not None:
        return redirect(f"/berichten/{existing.public_id}/")
    return render(request, "messaging/trusted_no_conversation.html", {"resident": resident})
