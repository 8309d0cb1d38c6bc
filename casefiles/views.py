"""Case-file pages: the worker's dossier and the resident's "Mijn dossier".

Views only orchestrate: the policy module finds (and logs) what the person
may see, services make changes, selectors decide what each side sees.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASEWORK_ROLES, User
from casefiles import selectors, services
from casefiles.access import case_get_for_user, casefile_item_get_for_user
from casefiles.forms import (
    AgreementForm,
    CaseStatusForm,
    CommentForm,
    CorrectionAnswerForm,
    CorrectionRequestForm,
    DocumentForm,
    GoalActionForm,
    GoalForm,
    GoalStatusForm,
    HandoverForm,
    NoteForm,
    QuestionForm,
    QuestionStatusForm,
    ResidentDocumentForm,
    TrustedPersonRegisterForm,
)
from casefiles.models import Case, CorrectionRequest, Document, Goal, GoalAction, ItemKind, Note, SupportQuestion
from casefiles.services import ITEM_MODELS, CaseFileError
from casefiles.timeline import timeline_events_render
from casefiles.uploads import UploadRefused
from organisations.forms import AssignWorkerForm
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Permission,
    organisation_id_of,
    require_permission,
    resident_get_for_user,
)


def _to_casefile(case: Case) -> HttpResponse:
    return redirect("casefiles:staff_casefile", public_id=case.resident.public_id)


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _submit(request: AuthenticatedHttpRequest, form: Any, action: Any, success: str) -> None:
    """Run ``action`` with the form's cleaned data, or show why the form is
    not right; either way the worker returns to the dossier."""
    if form.is_valid():
        _run(request, lambda: action(form.cleaned_data), success)
    else:
        _form_errors(request, form)


def _run(request: AuthenticatedHttpRequest, action: Any, success: str) -> bool:
    """Run a service; show its plain-Dutch refusal as a message."""
    try:
        action()
    except (CaseFileError, UploadRefused) as error:
        messages.error(request, str(error))
        return False
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


# --- Worker: the dossier -----------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_casefile_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=public_id, object_type="casefile")
    services.casefile_visit_record(worker=request.user, resident=resident)
    case = selectors.case_current(resident=resident)
    context: dict[str, Any] = {
        "resident": resident,
        "case": case,
        "history": selectors.case_history(resident=resident),
        "colleague_form": AssignWorkerForm(
            workers=User.objects.filter(
                organisation_id=organisation_id_of(request.user), role__in=CASEWORK_ROLES, is_active=True
            ).exclude(caseload_assignments__resident=resident),
            prefix="colleague",
        ),
    }
    if case is not None:
        view = selectors.casefile_for_staff(case=case, viewer=request.user)
        # One page holds many forms with the same field names: each gets its
        # own id prefix, so every label points at its own field.
        for goal in view.goals:
            goal.action_form = GoalActionForm(auto_id=f"step-{goal.public_id}-%s")  # type: ignore[attr-defined]
        context.update(
            view=view,
            status_form=CaseStatusForm(auto_id="status-%s"),
            question_form=QuestionForm(auto_id="question-%s"),
            goal_form=GoalForm(case=case, auto_id="goal-%s"),
            goal_status_form=GoalStatusForm(),
            question_status_form=QuestionStatusForm(),
            agreement_form=AgreementForm(auto_id="agreement-%s"),
            note_form=NoteForm(
                auto_id="note-%s",
                initial={"visibility": "shared" if case.organisation.default_note_is_shared else "internal"},
            ),
            document_form=DocumentForm(auto_id="document-%s"),
            open_corrections=[c for c in view.corrections if c.status == CorrectionRequest.Status.OPEN],
        )
    return render(request, "casefiles/staff_casefile.html", context)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def case_open_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=public_id, action="create", object_type="case")
    _run(request, lambda: services.case_open(resident=resident, opened_by=request.user), _("Het dossier is geopend."))
    return redirect("casefiles:staff_casefile", public_id=resident.public_id)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def case_status_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="change")
    form = CaseStatusForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.case_status_set(
            case=case,
            status=data["status"],
            reason=data["reason"],
            changed_by=request.user,
        ),
        _("De status van het dossier is gewijzigd."),
    )
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def question_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="create")
    form = QuestionForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.question_add(case=case, added_by=request.user, **data),
        _("De hulpvraag is toegevoegd."),
    )
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def question_status_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    question = casefile_item_get_for_user(
        user=request.user, model=SupportQuestion, public_id=public_id, action="change"
    )
    form = QuestionStatusForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.question_status_set(question=question, status=data["status"], changed_by=request.user),
        _("De status van de hulpvraag is gewijzigd."),
    )
    return _to_casefile(question.case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def goal_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="create")
    form = GoalForm(request.POST, case=case)
    _submit(
        request,
        form,
        lambda data: services.goal_add(case=case, added_by=request.user, **data),
        _("Het doel is toegevoegd."),
    )
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def goal_status_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    goal = casefile_item_get_for_user(user=request.user, model=Goal, public_id=public_id, action="change")
    form = GoalStatusForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.goal_status_set(goal=goal, status=data["status"], changed_by=request.user),
        _("De status van het doel is gewijzigd."),
    )
    return _to_casefile(goal.case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def goal_action_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    goal = casefile_item_get_for_user(user=request.user, model=Goal, public_id=public_id, action="create")
    form = GoalActionForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.goal_action_add(goal=goal, added_by=request.user, **data),
        _("De stap is toegevoegd."),
    )
    return _to_casefile(goal.case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def agreement_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="create")
    form = AgreementForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.agreement_add(case=case, added_by=request.user, text=data["text"]),
        _("De afspraak is toegevoegd."),
    )
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def note_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="create")
    form = NoteForm(request.POST)
    if form.is_valid():
        shared = form.cleaned_data["visibility"] == "shared"
        _run(
            request,
            lambda: services.note_add(case=case, body=form.cleaned_data["body"], is_shared=shared, author=request.user),
            _("De notitie is opgeslagen en gedeeld met de inwoner.")
            if shared
            else _("De interne notitie is opgeslagen. De inwoner ziet haar niet."),
        )
    else:
        _form_errors(request, form)
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def note_visibility_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    note = casefile_item_get_for_user(user=request.user, model=Note, public_id=public_id, action="change")
    shared = request.POST.get("is_shared") == "1"
    _run(
        request,
        lambda: services.note_visibility_set(note=note, is_shared=shared, changed_by=request.user),
        _("De notitie is nu gedeeld met de inwoner.") if shared else _("De notitie is nu intern."),
    )
    return _to_casefile(note.case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def document_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, public_id=public_id, action="create")
    form = DocumentForm(request.POST, request.FILES)
    _submit(
        request,
        form,
        lambda data: services.document_add(
            case=case,
            title=data["title"],
            upload=data["file"],
            is_shared=data["visibility"] == "shared",
            uploaded_by=request.user,
        ),
        _("Het document is toegevoegd."),
    )
    return _to_casefile(case)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def document_visibility_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    document = casefile_item_get_for_user(user=request.user, model=Document, public_id=public_id, action="change")
    shared = request.POST.get("is_shared") == "1"
    _run(
        request,
        lambda: services.document_visibility_set(document=document, is_shared=shared, changed_by=request.user),
        _("Het document is nu gedeeld met de inwoner.") if shared else _("Het document is nu intern."),
    )
    return _to_casefile(document.case)


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def correction_answer_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    correction = casefile_item_get_for_user(
        user=request.user,
        model=CorrectionRequest,
        public_id=public_id,
        action="change" if request.method == "POST" else "view",
    )
    item = selectors.correction_item(correction=correction)
    form = CorrectionAnswerForm(request.POST or None, initial={"corrected_body": getattr(item, "body", "")})
    if request.method == "POST" and form.is_valid():
        accepted = form.cleaned_data["decision"] == "accept"

        def answer() -> None:
            services.correction_request_answer(
                correction=correction,
                accepted=accepted,
                answer_text=form.cleaned_data["answer_text"],
                answered_by=request.user,
                corrected_body=form.cleaned_data["corrected_body"] if isinstance(item, Note) else "",
            )

        if _run(request, answer, _("Uw antwoord is opgeslagen. De inwoner ziet het in het dossier.")):
            return _to_casefile(correction.case)
    return render(
        request,
        "casefiles/correction_answer.html",
        {"correction": correction, "item": item, "form": form, "resident": correction.case.resident},
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def handover_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    case = case_get_for_user(
        user=request.user, public_id=public_id, action="change" if request.method == "POST" else "view"
    )
    current = User.objects.filter(caseload_assignments__resident=case.resident)
    candidates = User.objects.filter(
        organisation_id=organisation_id_of(request.user), role__in=CASEWORK_ROLES, is_active=True
    ).exclude(pk__in=current.values("pk"))
    form = HandoverForm(
        request.POST or None, candidates=candidates, current=current, initial={"from_worker": request.user.public_id}
    )
    if request.method == "POST" and form.is_valid():
        handed_over = _run(
            request,
            lambda: services.case_handover(
                case=case,
                from_worker=form.cleaned_data["from_worker"],
                to_worker=form.cleaned_data["to_worker"],
                handed_over_by=request.user,
            ),
            _("Het dossier is overgedragen. De inwoner krijgt hiervan bericht."),
        )
        if handed_over:
            # Whoever handed over their own place no longer sees the file.
            still_assigned = User.objects.filter(pk=request.user.pk, caseload_assignments__resident=case.resident)
            return _to_casefile(case) if still_assigned.exists() else redirect("organisations:caseload")
    return render(request, "casefiles/handover.html", {"case": case, "form": form, "resident": case.resident})


@require_permission(Permission.USE_CASEWORK)
@require_GET
def timeline_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=public_id, object_type="timeline")
    events = resident.timeline_events.select_related("actor").order_by("-occurred_at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    page.object_list = timeline_events_render(page.object_list, viewer=request.user)
    return render(request, "casefiles/timeline.html", {"resident": resident, "page": page})


# --- Both sides ---------------------------------------------------------------------------


@login_required
@require_POST
def goal_action_done_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    action = casefile_item_get_for_user(user=request.user, model=GoalAction, public_id=public_id, action="change")
    done = request.POST.get("done") == "1"
    _run(
        request,
        lambda: services.goal_action_done_set(action=action, is_done=done, changed_by=request.user),
        _("Afgevinkt. Goed gedaan!") if done else _("De stap staat weer open."),
    )
    if request.user.role in CASEWORK_ROLES:
        return _to_casefile(action.goal.case)
    return redirect("casefiles:resident_casefile")


@login_required
@require_GET
def document_download_view(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    """Serve a document after the policy check; never from a public URL."""
    document = casefile_item_get_for_user(user=request.user, model=Document, public_id=public_id)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=f"samenspraak-document.{document.file.name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- Resident: "Mijn dossier" ---------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def resident_casefile_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=request.user.public_id, object_type="casefile")
    case = selectors.case_current(resident=resident)
    view = selectors.casefile_for_resident(case=case, viewer=request.user) if case is not None else None
    return render(
        request,
        "casefiles/resident_casefile.html",
        {
            "upcoming": selectors.upcoming_steps(view=view) if view else [],
            "review_date": getattr(getattr(resident, "blend_plan", None), "review_date", None),
            "case": case,
            "view": view,
            "history": selectors.case_history(resident=resident),
            "comment_form": CommentForm(),
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def trusted_casefile_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A trusted person with the "casefile" scope reads the shared file."""
    resident = resident_get_for_user(user=request.user, public_id=public_id, object_type="casefile", scope="casefile")
    case = selectors.case_current(resident=resident)
    view = selectors.casefile_for_resident(case=case, viewer=request.user) if case is not None else None
    return render(
        request,
        "casefiles/resident_casefile.html",
        {
            "case": case,
            "view": view,
            "history": [],
            "read_only": True,
            "resident": resident,
        },
    )


def _resident_item(request: AuthenticatedHttpRequest, kind: str, public_id: str, action: str) -> Any:
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise Http404
    return casefile_item_get_for_user(
        user=request.user, model=model, public_id=public_id, action=action, resident_only=True
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def resident_comment_view(request: AuthenticatedHttpRequest, kind: str, public_id: str) -> HttpResponse:
    item = _resident_item(request, kind, public_id, "create")
    form = CommentForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.resident_comment_add(resident=request.user, kind=kind, item=item, body=data["body"]),
        _("Uw reactie is opgeslagen. Uw sociaal werker kan haar lezen."),
    )
    return redirect("casefiles:resident_casefile")


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def talk_wish_view(request: AuthenticatedHttpRequest, kind: str, public_id: str) -> HttpResponse:
    """The resident's "liever in een gesprek" on a goal, step or agreement
    (``wens=1`` marks, ``wens=0`` takes the mark away)."""
    model = services.TALK_WISH_MODELS.get(kind)
    if model is None:
        raise Http404
    item = casefile_item_get_for_user(
        user=request.user, model=model, public_id=public_id, action="change", resident_only=True
    )
    is_wished = request.POST.get("wens") == "1"
    _run(
        request,
        lambda: services.talk_wish_set(item=item, resident=request.user, is_wished=is_wished),
        _("Uw sociaal werker ziet dat u hier liever in een gesprek over praat.")
        if is_wished
        else _("De markering 'liever in een gesprek' is weg."),
    )
    return redirect("casefiles:resident_casefile")


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def correction_request_view(request: AuthenticatedHttpRequest, kind: str, public_id: str) -> HttpResponse:
    item = _resident_item(request, kind, public_id, "create" if request.method == "POST" else "view")
    form = CorrectionRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.correction_request_add(
                resident=request.user, kind=kind, item=item, text=form.cleaned_data["text"]
            ),
            _("Uw vraag om correctie is verstuurd. U krijgt een antwoord van uw sociaal werker."),
        )
    ):
        return redirect("casefiles:resident_casefile")
    return render(
        request, "casefiles/correction_request.html", {"form": form, "item": item, "kind": ItemKind(kind).label}
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def resident_document_add_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = resident_get_for_user(
        user=request.user,
        public_id=request.user.public_id,
        action="create" if request.method == "POST" else "view",
        object_type="document",
    )
    case = selectors.case_current(resident=resident)
    form = ResidentDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if case is None:
            messages.error(request, _("U hebt nog geen dossier. Vraag uw sociaal werker om er een te openen."))
        elif _run(
            request,
            lambda: services.document_add(
                case=case,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                is_shared=True,
                uploaded_by=request.user,
            ),
            _("Uw document is toegevoegd. Uw sociaal werker kan het zien."),
        ):
            return redirect("casefiles:resident_casefile")
    return render(request, "casefiles/resident_document_add.html", {"form": form, "case": case})


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def trusted_person_register_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The worker registers a trusted person for a resident who cannot do it
    digitally, with the form the resident signed (kept in the case file)."""
    case = case_get_for_user(
        user=request.user, public_id=public_id, action="create" if request.method == "POST" else "view"
    )
    form = TrustedPersonRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trusted_person_register_on_paper(
                case=case,
                worker=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                scopes=data["scopes"],
                ends_on=data.get("ends_on"),
                signed_form=data["signed_form"],
            )
        except (CaseFileError, UploadRefused) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _(
                    "De vertrouwenspersoon is vastgelegd en krijgt een e-mail. Het getekende formulier staat in het dossier."
                ),
            )
            return _to_casefile(case)
    return render(request, "casefiles/trusted_person_register.html", {"form": form, "case": case})
