"""Pages of e-learning and the library: the resident learns at their own
pace and reads articles; a worker puts a module on a resident's list and
follows it; authors write modules and articles. Every page reaches its
object through ``learning.access`` or the policy core."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from learning import selectors
from learning.access import (
    is_author,
    library_item_get_for_author,
    library_item_get_for_resident,
    module_get_for_author,
    module_get_for_resident,
    step_get_for_author,
    step_image_get,
    trainings_open_for_sign_up,
)
from learning.forms import AssignForm, AuthorForm, LibraryItemForm, ModuleForm, SearchForm, StepForm
from learning.markup import markdown_to_safe_html
from learning.models import ModuleRun, Status, StepKind, Training
from learning.services import (
    LearningError,
    author_designate,
    author_remove,
    library_item_save,
    module_assign,
    module_create,
    module_draft_start,
    module_publish,
    module_run_start,
    module_version_change,
    run_share_set,
    step_add,
    step_change,
    step_delete,
    step_save,
)
from learning.training_forms import TrainingChoiceForm
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Action,
    Permission,
    organisation_id_of,
    require_permission,
    resident_get_for_user,
    residents_for_casework,
    residents_log_listed,
    role_gate_refuse,
)


def _me(request: AuthenticatedHttpRequest, *, action: str = Action.VIEW) -> User:
    """The signed-in resident (logged); a trusted person gets 404: learning
    is the resident's own."""
    return resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type="learning"
    )


def require_author(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first, then 403 for everyone who is not an author."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_author(request.user):
            role_gate_refuse(request, "learning_authoring")
        return view(request, *args, **kwargs)

    return wrapped


# --- The resident: modules ---------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, action=Action.LIST)
    return render(request, "learning/home.html", {"rows": selectors.modules_for_resident(resident=resident)})


def _step_number(request: AuthenticatedHttpRequest, run: ModuleRun | None, count: int) -> int:
    """The step to show: the one asked for (up to the next one to do),
    else the next one to do."""
    if run is None:
        return 0
    reachable = min(run.steps_done + 1, count)
    try:
        asked = int(request.GET.get("stap", ""))
    except ValueError:
        asked = 0
    if 1 <= asked <= reachable:
        return asked
    return 0 if run.finished_at is not None else reachable


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def module_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request)
    module = module_get_for_resident(user=resident, public_id=public_id)
    run = selectors.run_current(resident=resident, module=module)
    version = run.version if run is not None else module.published_version
    assert version is not None
    steps = selectors.version_steps(version)
    number = _step_number(request, run, len(steps))
    step = steps[number - 1] if number else None
    answers = selectors.run_answers(run) if run is not None else {}
    return render(
        request,
        "learning/module.html",
        {
            "module": module,
            "version": version,
            "run": run,
            "steps": steps,
            "step": step,
            "number": number,
            "count": len(steps),
            "answer": answers.get(step.pk) if step is not None else None,
            "is_done": run is not None and step is not None and step.position <= run.steps_done,
            "has_newer_version": run is not None and run.version_id != module.published_version_id,
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def module_start_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CREATE)
    module = module_get_for_resident(user=resident, public_id=public_id)
    try:
        module_run_start(module=module, resident=resident)
    except LearningError as error:
        messages.error(request, str(error))
    return redirect("learning:module", public_id=module.public_id)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def step_save_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CHANGE)
    module = module_get_for_resident(user=resident, public_id=public_id)
    run = selectors.run_current(resident=resident, module=module)
    url = reverse("learning:module", kwargs={"public_id": module.public_id})
    if run is None:
        messages.error(request, _("Begin eerst aan de module."))
        return redirect(url)
    try:
        choice = int(request.POST.get("choice", "") or 0) or None
    except ValueError:
        choice = None
    step_id = request.POST.get("step", "")
    try:
        saved = step_save(run=run, step_public_id=step_id, saved_by=resident, choice_id=choice)
    except (LearningError, ValueError) as error:
        messages.error(request, str(error) if isinstance(error, LearningError) else _("Deze stap bestaat niet."))
        return redirect(url)
    if request.POST.get("kind") == StepKind.QUESTION:
        # Back to the question, now with the kind word about the answer.
        position = int(request.POST.get("position", "0") or 0)
        return redirect(f"{url}?stap={max(1, min(position, saved.steps_done))}#uitleg")
    if saved.finished_at is not None:
        messages.success(request, _("Goed gedaan! U hebt de module afgerond."))
    return redirect(url)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def share_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CHANGE)
    module = module_get_for_resident(user=resident, public_id=public_id)
    run = selectors.run_current(resident=resident, module=module)
    if run is None:
        raise Http404
    is_shared = request.POST.get("is_shared") == "on"
    run_share_set(run=run, set_by=resident, is_shared=is_shared)
    messages.success(
        request,
        _("Uw werker kan uw antwoorden nu zien.") if is_shared else _("Uw antwoorden zijn alleen voor u."),
    )
    return redirect("learning:module", public_id=module.public_id)


@require_GET
def image_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    step = step_image_get(user=request.user, public_id=public_id)
    response = HttpResponse(bytes(step.image_data or b""), content_type=step.image_type or "image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def video_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    step = step_image_get(user=request.user, public_id=public_id, kind=StepKind.VIDEO)
    response = HttpResponse(bytes(step.video_data or b""), content_type=step.video_type or "video/mp4")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def captions_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    step = step_image_get(user=request.user, public_id=public_id, kind=StepKind.VIDEO)
    if not step.captions_vtt:
        raise Http404
    response = HttpResponse(step.captions_vtt, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The resident: library ---------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def library_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, action=Action.LIST)
    form = SearchForm(request.GET or None)
    query, topic_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        topic_id = form.cleaned_data["onderwerp"]
    return render(
        request,
        "learning/library.html",
        {
            "form": form,
            "query": query,
            "topic_id": topic_id,
            "items": selectors.library_list(resident=resident, query=query, topic_id=topic_id),
            "topics": selectors.library_topics(resident=resident),
        },
    )


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def article_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request)
    item = library_item_get_for_resident(user=resident, public_id=public_id)
    return render(request, "learning/article.html", {"item": item})


# --- The worker ------------------------------------------------------------------------------------


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    assert organisation_id is not None
    residents = list(residents_for_casework(request.user).order_by("first_name", "last_name", "pk"))
    residents_log_listed(user=request.user, residents=residents, object_type="learning")
    return render(
        request,
        "learning/staff_home.html",
        {
            "modules": list(selectors.modules_published(organisation_id=organisation_id)),
            "residents": residents,
            "is_author": is_author(request.user),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_resident_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    action = Action.CREATE if request.method == "POST" else Action.VIEW
    resident = resident_get_for_user(user=request.user, public_id=public_id, action=action, object_type="learning")
    modules = list(selectors.modules_published(organisation_id=resident.organisation_id or 0))
    form = AssignForm(request.POST or None, modules=modules)
    if request.method == "POST" and form.is_valid():
        module = form.modules[form.cleaned_data["module"]]
        try:
            module_assign(module=module, resident=resident, assigned_by=request.user)
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De module staat nu op de lijst van de inwoner: %(title)s.")
                % {"title": module.published_version.title},  # type: ignore[union-attr]
            )
            return redirect("learning:staff_resident", public_id=resident.public_id)
    return render(
        request,
        "learning/staff_resident.html",
        {
            "resident": resident,
            "rows": selectors.modules_followed(resident=resident),
            "form": form,
            "training_form": TrainingChoiceForm(
                trainings=list(trainings_open_for_sign_up(organisation_id=resident.organisation_id))
            ),
        },
    )


@require_permission(Permission.USE_CASEWORK)
@require_GET
def staff_progress_view(request: AuthenticatedHttpRequest, public_id: str, module_id: str) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, public_id=public_id, object_type="learning_run")
    found = selectors.module_run_for_worker(resident=resident, module_public_id=module_id)
    if found is None:
        raise Http404
    module, run = found
    version = run.version if run is not None else module.published_version
    steps = selectors.version_steps(version) if version is not None else []
    answers = selectors.run_answers(run) if run is not None and run.is_shared else {}
    return render(
        request,
        "learning/staff_progress.html",
        {
            "resident": resident,
            "module": module,
            "version": version,
            "run": run,
            "steps": [(step, answers.get(step.pk)) for step in steps],
            "count": len(steps),
        },
    )


# --- Authoring ------------------------------------------------------------------------------------


@require_author
@require_GET
def author_home_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    assert organisation_id is not None
    is_admin = request.user.role == Role.ORGANISATION_ADMIN
    return render(
        request,
        "learning/author_home.html",
        {
            "modules": selectors.modules_for_author(organisation_id=organisation_id),
            "items": list(selectors.library_items_for_author(organisation_id=organisation_id)),
            "authors": list(selectors.designated_authors(organisation_id=organisation_id)) if is_admin else [],
            "author_form": AuthorForm(workers=selectors.social_workers(organisation_id=organisation_id))
            if is_admin
            else None,
        },
    )


@require_author
@require_POST
def authors_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The admin adds (``actie=toevoegen``) or removes (``actie=weghalen``) a
    social worker who may write learning content."""
    if request.user.role != Role.ORGANISATION_ADMIN or request.user.organisation_id is None:
        role_gate_refuse(request, "learning_authors")
    form = AuthorForm(request.POST, workers=selectors.social_workers(organisation_id=request.user.organisation_id))
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("learning:author_home")
    worker = form.cleaned_data["worker"]
    try:
        if request.POST.get("actie") == "weghalen":
            author_remove(admin=request.user, worker=worker)
            messages.success(request, _("%(name)s maakt geen lesstof meer.") % {"name": worker.full_name})
        else:
            author_designate(admin=request.user, worker=worker)
            messages.success(request, _("%(name)s mag nu lesstof maken.") % {"name": worker.full_name})
    except LearningError as error:
        messages.error(request, str(error))
    return redirect("learning:author_home")


@require_author
@require_http_methods(["GET", "POST"])
def module_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None
        try:
            module = module_create(
                organisation=request.user.organisation,
                created_by=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De module is gemaakt. Voeg nu stappen toe."))
            return redirect("learning:module_edit", public_id=module.public_id)
    return render(request, "learning/module_new.html", {"form": form})


@require_author
@require_http_methods(["GET", "POST"])
def module_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    module = module_get_for_author(user=request.user, public_id=public_id)
    draft = selectors.module_draft(module)
    shown = draft or module.published_version
    form = None
    if draft is not None:
        form = ModuleForm(request.POST or None, initial={"title": draft.title, "summary": draft.summary})
        if request.method == "POST" and form.is_valid():
            try:
                module_version_change(
                    version=draft,
                    changed_by=request.user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                )
            except LearningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("learning:module_edit", public_id=module.public_id)
    elif request.method == "POST":
        messages.error(request, _("Maak eerst een nieuwe versie om te wijzigen."))
        return redirect("learning:module_edit", public_id=module.public_id)
    return render(
        request,
        "learning/module_edit.html",
        {
            "module": module,
            "draft": draft,
            "shown": shown,
            "form": form,
            "steps": selectors.version_steps(shown) if shown is not None else [],
            "versions": selectors.module_versions(module),
            "kinds": StepKind.choices,
        },
    )


@require_author
@require_POST
def module_draft_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    module = module_get_for_author(user=request.user, public_id=public_id)
    try:
        module_draft_start(module=module, started_by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Er is een nieuwe versie gemaakt. Inwoners die al begonnen zijn, gaan verder in hun eigen versie."),
        )
    return redirect("learning:module_edit", public_id=module.public_id)


@require_author
@require_POST
def module_publish_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    module = module_get_for_author(user=request.user, public_id=public_id)
    draft = selectors.module_draft(module)
    if draft is None:
        messages.error(request, _("Er is geen concept om te publiceren."))
        return redirect("learning:module_edit", public_id=module.public_id)
    try:
        module_publish(version=draft, published_by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Gepubliceerd. Inwoners zien deze versie nu."))
    return redirect("learning:module_edit", public_id=module.public_id)


def _step_page(request: AuthenticatedHttpRequest, form: StepForm, module: Any, step: Any = None) -> HttpResponse:
    preview = ""
    if request.POST.get("preview") and form.is_valid():
        preview = markdown_to_safe_html(form.cleaned_data.get("body_markdown", ""))
    return render(
        request,
        "learning/step_form.html",
        {"form": form, "module": module, "step": step, "kind": form.kind, "preview": preview},
    )


def _captions_warn(request: AuthenticatedHttpRequest, step: Any) -> None:
    if step.kind == StepKind.VIDEO and not step.captions_vtt:
        messages.warning(
            request,
            _(
                "Let op: deze video heeft geen ondertitels. Doven en slechthorenden kunnen hem dan niet volgen. "
                "Voeg een WebVTT-bestand (.vtt) toe."
            ),
        )


@require_author
@require_http_methods(["GET", "POST"])
def step_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    module = module_get_for_author(user=request.user, public_id=public_id)
    draft = selectors.module_draft(module)
    if draft is None:
        messages.error(request, _("Maak eerst een nieuwe versie om te wijzigen."))
        return redirect("learning:module_edit", public_id=module.public_id)
    kind = request.GET.get("soort") or request.POST.get("soort") or StepKind.TEXT
    if kind not in StepKind.values:
        kind = StepKind.TEXT
    form = StepForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and not request.POST.get("preview") and form.is_valid():
        try:
            step = step_add(
                version=draft,
                added_by=request.user,
                data=form.step_data(),
                image=form.cleaned_data.get("image"),
                video=form.cleaned_data.get("video"),
                captions=form.cleaned_data.get("captions"),
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De stap is toegevoegd."))
            _captions_warn(request, step)
            return redirect("learning:module_edit", public_id=module.public_id)
    return _step_page(request, form, module)


@require_author
@require_http_methods(["GET", "POST"])
def step_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    step = step_get_for_author(user=request.user, public_id=public_id)
    module = step.version.module
    form = StepForm(request.POST or None, request.FILES or None, kind=step.kind, initial=StepForm.initial_for(step))
    if request.method == "POST" and not request.POST.get("preview") and form.is_valid():
        try:
            step = step_change(
                step=step,
                changed_by=request.user,
                data=form.step_data(),
                image=form.cleaned_data.get("image"),
                video=form.cleaned_data.get("video"),
                captions=form.cleaned_data.get("captions"),
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De stap is gewijzigd."))
            _captions_warn(request, step)
            return redirect("learning:module_edit", public_id=module.public_id)
    return _step_page(request, form, module, step)


@require_author
@require_POST
def step_delete_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    step = step_get_for_author(user=request.user, public_id=public_id)
    try:
        step_delete(step=step, deleted_by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De stap is verwijderd."))
    return redirect("learning:module_edit", public_id=step.version.module.public_id)


def _audience(user: User) -> list[User]:
    """Residents an author may write an article for: an admin any resident
    of the organisation, a team lead those of the team's caseloads."""
    if user.role == Role.ORGANISATION_ADMIN:
        residents = User.objects.filter(role=Role.RESIDENT, organisation_id=organisation_id_of(user))
    else:
        residents = residents_for_casework(user)
    return list(residents.filter(is_active=True).order_by("first_name", "last_name", "pk"))


def _trainings(user: User) -> list[Training]:
    """Trainings an author may write an article for (their organisation's)."""
    return list(Training.objects.filter(organisation_id=organisation_id_of(user)).order_by("title", "pk"))


def _audience_key(item: Any) -> str:
    if item.audience_resident is not None:
        return str(item.audience_resident.public_id)
    if item.audience_training is not None:
        return f"training:{item.audience_training.public_id}"
    return ""


def _article_page(request: AuthenticatedHttpRequest, form: LibraryItemForm, item: Any = None) -> HttpResponse:
    preview = ""
    if request.POST.get("preview") and form.is_valid():
        preview = markdown_to_safe_html(form.cleaned_data["body_markdown"])
    revisions = list(item.revisions.select_related("saved_by")[:20]) if item is not None else []
    return render(
        request, "learning/article_form.html", {"form": form, "item": item, "preview": preview, "revisions": revisions}
    )


@require_author
@require_http_methods(["GET", "POST"])
def article_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LibraryItemForm(request.POST or None, residents=_audience(request.user), trainings=_trainings(request.user))
    if request.method == "POST" and not request.POST.get("preview") and form.is_valid():
        assert request.user.organisation is not None
        try:
            item = library_item_save(
                organisation=request.user.organisation, saved_by=request.user, data=form.item_data()
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het artikel is opgeslagen."))
            return redirect("learning:article_edit", public_id=item.public_id)
    return _article_page(request, form)


@require_author
@require_http_methods(["GET", "POST"])
def article_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = library_item_get_for_author(user=request.user, public_id=public_id)
    initial = {
        "title": item.title,
        "summary": item.summary,
        "topic_name": item.topic.name if item.topic else "",
        "body_markdown": item.body_markdown,
        "audience": _audience_key(item),
        "is_published": item.status == Status.PUBLISHED,
    }
    form = LibraryItemForm(
        request.POST or None, residents=_audience(request.user), trainings=_trainings(request.user), initial=initial
    )
    if request.method == "POST" and not request.POST.get("preview") and form.is_valid():
        assert request.user.organisation is not None
        try:
            library_item_save(
                organisation=request.user.organisation, saved_by=request.user, data=form.item_data(), item=item
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het artikel is opgeslagen."))
            return redirect("learning:article_edit", public_id=item.public_id)
    return _article_page(request, form, item)
