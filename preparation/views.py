"""Pages of the preparation guides: the resident works through a guide; the
worker gives guides, sees what is ready and moves the documents into the
case file; the organisation admin edits the guides. Every page reaches
resident data through ``preparation.access`` (which logs the read or the
refusal); writes go through ``preparation.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from preparation import selectors
from preparation.access import (
    guide_get_for_admin,
    guide_get_published,
    preparation_document_get_for_user,
    preparation_get_for_resident,
    preparation_get_for_staff,
    preparation_resident_get_for_staff,
)
from preparation.forms import GiveForm, GuideForm, GuideItemFormSet, ItemForm, NewGuideForm
from preparation.models import Guide, Preparation
from preparation.services import (
    PreparationError,
    guide_create,
    guide_update,
    preparation_document_delete,
    preparation_documents_move,
    preparation_item_save,
    preparation_mark_ready,
    preparation_seen_record,
    preparation_start,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import Action, Permission, require_permission, resident_get_for_user


def _me(request: AuthenticatedHttpRequest, *, action: str = Action.VIEW) -> User:
    """The signed-in resident; a trusted person gets 404 (the guides are the
    resident's own)."""
    return resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type="preparations"
    )


def _item_form(item_id: Any, data: Any = None, files: Any = None, initial: Any = None) -> ItemForm:
    return ItemForm(data, files, initial=initial, auto_id=f"item-{item_id}-%s")


# --- The resident ------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def mine_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request)
    preparations = selectors.preparations_of_resident(resident=resident, published_only=True)
    started = {preparation.guide_id for preparation in preparations}
    guides = [g for g in selectors.guides_published(organisation_id=resident.organisation_id) if g.pk not in started]
    return render(request, "preparation/mine.html", {"preparations": preparations, "guides": guides})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def start_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CREATE)
    guide = guide_get_published(user=resident, public_id=public_id)
    try:
        preparation = preparation_start(guide=guide, resident=resident, started_by=request.user)
    except PreparationError as error:
        messages.error(request, str(error))
        return redirect("preparation:mine")
    return redirect("preparation:detail", public_id=preparation.public_id)


def _resident_page(
    request: AuthenticatedHttpRequest, preparation: Preparation, bound: tuple[int, ItemForm] | None = None
) -> HttpResponse:
    view = selectors.preparation_view(preparation=preparation)
    rows = []
    for row in view.rows:
        if bound is not None and bound[0] == row.item.pk:
            form = bound[1]
        else:
            form = _item_form(row.item.public_id, initial={"is_done": row.is_done, "note": row.note})
        rows.append((row, form))
    return render(
        request,
        "preparation/detail.html",
        {"view": view, "preparation": preparation, "rows": rows},
        status=200,
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    preparation = preparation_get_for_resident(user=request.user, public_id=public_id)
    return _resident_page(request, preparation)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def item_save_view(request: AuthenticatedHttpRequest, public_id: str, item_id: str) -> HttpResponse:
    preparation = preparation_get_for_resident(user=request.user, public_id=public_id, action=Action.CHANGE)
    item = selectors.guide_item_of(preparation=preparation, public_id=item_id)
    if item is None:
        raise Http404
    form = _item_form(item.public_id, request.POST, request.FILES)
    if not form.is_valid():
        return _resident_page(request, preparation, (item.pk, form))
    try:
        result = preparation_item_save(
            preparation=preparation,
            guide_item=item,
            is_done=form.cleaned_data["is_done"],
            note=form.cleaned_data["note"],
            upload=form.cleaned_data["file"],
            saved_by=request.user,
        )
    except PreparationError as error:
        form.add_error("note", str(error))
        return _resident_page(request, preparation, (item.pk, form))
    if result.upload_refused:
        form.add_error("file", result.upload_refused)
        messages.error(
            request,
            _("Het bestand bij '%(item)s' is niet opgeslagen. Uw vinkje en notitie zijn wel opgeslagen.")
            % {"item": item.title},
        )
        return _resident_page(request, preparation, (item.pk, form))
    if result.document is not None:
        messages.success(request, _("Opgeslagen, met het document, bij '%(item)s'.") % {"item": item.title})
    else:
        messages.success(request, _("Opgeslagen bij '%(item)s'.") % {"item": item.title})
    return redirect(f"{reverse('preparation:detail', args=[preparation.public_id])}#item-{item.public_id}")


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def ready_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    preparation = preparation_get_for_resident(user=request.user, public_id=public_id, action=Action.CHANGE)
    try:
        preparation_mark_ready(preparation=preparation, marked_by=request.user)
    except PreparationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Fijn! Uw sociaal werker ziet dat u klaar bent en kijkt ernaar voor het gesprek."))
    return redirect("preparation:detail", public_id=preparation.public_id)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def document_delete_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    document = preparation_document_get_for_user(user=request.user, public_id=public_id, action=Action.DELETE)
    try:
        preparation_document_delete(document=document, deleted_by=request.user)
    except PreparationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het document is weggehaald."))
    preparation = document.preparation
    return redirect(
        f"{reverse('preparation:detail', args=[preparation.public_id])}#item-{document.guide_item.public_id}"
    )


@login_required
@require_GET
def document_download_view(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    """Serve a document after the access check; never from a public URL."""
    document = preparation_document_get_for_user(user=request.user, public_id=public_id)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=f"voorbereiding-document.{(document.file.name or '').rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- The worker ----------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_overview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    preparations = selectors.preparations_for_caseload(user=request.user)
    return render(request, "preparation/staff_overview.html", {"preparations": preparations})


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_resident_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    action = Action.CREATE if request.method == "POST" else Action.VIEW
    resident = preparation_resident_get_for_staff(user=request.user, public_id=public_id, action=action)
    guides = selectors.guides_published(organisation_id=resident.organisation_id)
    form = GiveForm(request.POST or None, guides=guides)
    if request.method == "POST" and form.is_valid():
        try:
            preparation = preparation_start(
                guide=form.cleaned_data["guide"], resident=resident, started_by=request.user
            )
        except PreparationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s ziet de handleiding '%(title)s' nu bij Voorbereiden.")
                % {"name": resident.full_name, "title": preparation.guide.title},
            )
            return redirect("preparation:staff_resident", public_id=resident.public_id)
    return render(
        request,
        "preparation/staff_resident.html",
        {
            "resident": resident,
            "preparations": selectors.preparations_of_resident(resident=resident, published_only=False),
            "form": form,
            "has_guides": guides.exists(),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    preparation = preparation_get_for_staff(user=request.user, public_id=public_id)
    is_new = preparation.is_new_for_worker
    preparation_seen_record(preparation=preparation, worker=request.user)
    view = selectors.preparation_view(preparation=preparation)
    return render(
        request,
        "preparation/staff_detail.html",
        {"view": view, "preparation": preparation, "resident": preparation.resident, "is_new": is_new},
    )


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_move_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    preparation = preparation_get_for_staff(user=request.user, public_id=public_id, action=Action.CHANGE)
    try:
        moved = preparation_documents_move(preparation=preparation, moved_by=request.user)
    except PreparationError as error:
        messages.error(request, str(error))
    else:
        if moved:
            names = ", ".join(document.original_name or document.guide_item.title for document in moved)
            messages.success(
                request,
                ngettext(
                    "%(count)s document staat nu in het dossier, gedeeld met de inwoner: %(names)s.",
                    "%(count)s documenten staan nu in het dossier, gedeeld met de inwoner: %(names)s.",
                    len(moved),
                )
                % {"count": len(moved), "names": names},
            )
        else:
            messages.info(request, _("Er waren geen nieuwe documenten om naar het dossier te zetten."))
    return redirect("preparation:staff_detail", public_id=preparation.public_id)


# --- The organisation admin -----------------------------------------------------------


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def admin_guides_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    form = NewGuideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guide = guide_create(organisation=organisation, title=form.cleaned_data["title"], created_by=request.user)
        except PreparationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De handleiding is gemaakt, als concept. Voeg nu de onderdelen toe."))
            return redirect("preparation:admin_guide", public_id=guide.public_id)
    return render(
        request,
        "preparation/admin_guides.html",
        {"guides": selectors.guides_of_organisation(organisation_id=organisation.pk), "form": form},
    )


def _item_initial(guide: Guide) -> list[dict[str, Any]]:
    return [
        {"public_id": item.public_id, "title": item.title, "explanation": item.explanation}
        for item in guide.items.all()
    ]


@require_permission(Permission.MANAGE_ORGANISATION)
@require_http_methods(["GET", "POST"])
def admin_guide_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    guide = guide_get_for_admin(user=request.user, public_id=public_id)
    initial = {"title": guide.title, "intro": guide.intro, "status": guide.status}
    form = GuideForm(request.POST or None, initial=initial)
    items = GuideItemFormSet(request.POST or None, initial=_item_initial(guide), prefix="items")
    error = ""
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [row for row in (item_form.item_data() for item_form in items.forms) if row is not None]
        try:
            guide_update(
                guide=guide,
                title=form.cleaned_data["title"],
                intro=form.cleaned_data["intro"],
                status=form.cleaned_data["status"],
                items=rows,
                changed_by=request.user,
            )
        except PreparationError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("De handleiding is opgeslagen."))
            return redirect("preparation:admin_guide", public_id=guide.public_id)
    return render(
        request, "preparation/admin_guide.html", {"guide": guide, "form": form, "items": items, "error": error}
    )
