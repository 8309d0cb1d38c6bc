"""Pages of blended trainings: the resident's training page (what is
next, materials, modules, the group chat) with sign-up and sign-off; the
manager's pages (authors of the organisation and the host): participants
with their module progress, the schedule, materials and modules. Every
page reaches its training through ``learning.access``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import CASEWORK_ROLES, User
from learning import training_selectors as selectors
from learning.access import (
    is_author,
    training_get_for_manager,
    training_get_for_resident,
    trainings_for_manager,
    trainings_for_resident,
    trainings_open_for_sign_up,
)
from learning.models import Training, TrainingStatus
from learning.selectors import modules_published
from learning.training_forms import (
    ModulesForm,
    ParticipantAddForm,
    SessionAttachForm,
    TrainingChoiceForm,
    TrainingForm,
)
from learning.trainings import (
    TrainingError,
    training_close,
    training_leave,
    training_modules_set,
    training_publish,
    training_save,
    training_session_attach,
    training_sign_up,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Action,
    Permission,
    organisation_id_of,
    require_permission,
    resident_get_for_user,
    residents_for_casework,
    role_gate_refuse,
)


def _me(request: AuthenticatedHttpRequest, *, action: str = Action.VIEW) -> User:
    return resident_get_for_user(
        user=request.user, public_id=request.user.public_id, action=action, object_type="learning"
    )


def require_training_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; authors and social workers pass (a worker reaches only
    the trainings they host), everyone else gets 403."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (is_author(request.user) or request.user.role in CASEWORK_ROLES):
            role_gate_refuse(request, "learning_trainings")
        return view(request, *args, **kwargs)

    return wrapped


def _hosts(user: User) -> list[User]:
    return list(
        User.objects.filter(organisation_id=organisation_id_of(user), role__in=CASEWORK_ROLES, is_active=True).order_by(
            "first_name", "last_name", "pk"
        )
    )


# --- The resident --------------------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def training_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    resident = _me(request, action=Action.LIST)
    trainings = selectors.training_list_for_resident(trainings=trainings_for_resident(resident), resident=resident)
    return render(request, "learning/training_list.html", {"trainings": trainings})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_GET
def training_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request)
    training = training_get_for_resident(user=resident, public_id=public_id)
    page = selectors.training_page(training=training, resident=resident)
    return render(request, "learning/training.html", {"page": page, "training": training})


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def training_sign_up_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CHANGE)
    training = training_get_for_resident(user=resident, public_id=public_id)
    try:
        training_sign_up(training=training, resident=resident)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("U bent aangemeld voor de training en voor de bijeenkomsten."))
    return redirect("learning:training", public_id=training.public_id)


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def training_leave_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    resident = _me(request, action=Action.CHANGE)
    training = training_get_for_resident(user=resident, public_id=public_id)
    participant = training.participants.filter(resident=resident, left_at__isnull=True).first()
    if participant is None:
        messages.error(request, _("U bent niet aangemeld voor deze training."))
        return redirect("learning:training", public_id=training.public_id)
    try:
        training_leave(participant=participant, by=resident)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("U bent afgemeld voor de training."))
    return redirect("learning:training", public_id=training.public_id)


# --- Authors and the host ------------------------------------------------------------------------


@require_training_staff
@require_GET
def training_manage_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainings = list(trainings_for_manager(request.user).select_related("host").order_by("title", "pk"))
    return render(
        request, "learning/training_manage_list.html", {"trainings": trainings, "is_author": is_author(request.user)}
    )


@require_training_staff
@require_http_methods(["GET", "POST"])
def training_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_author(request.user):
        role_gate_refuse(request, "learning_authoring")
    form = TrainingForm(request.POST or None, hosts=_hosts(request.user))
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None
        try:
            training = training_save(
                organisation=request.user.organisation,
                saved_by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                host=form.host_user(),
                capacity=form.cleaned_data["capacity"],
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De training is gemaakt. Zet er nu bijeenkomsten en lesstof bij."))
            return redirect("learning:training_manage", public_id=training.public_id)
    return render(request, "learning/training_form.html", {"form": form, "training": None})


@require_training_staff
@require_http_methods(["GET", "POST"])
def training_edit_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    initial = {
        "title": training.title,
        "description": training.description,
        "host": str(training.host.public_id),
        "capacity": training.capacity,
    }
    form = TrainingForm(request.POST or None, hosts=_hosts(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None
        try:
            training_save(
                organisation=request.user.organisation,
                saved_by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                host=form.host_user(),
                capacity=form.cleaned_data["capacity"],
                training=training,
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De training is opgeslagen."))
            return redirect("learning:training_manage", public_id=training.public_id)
    return render(request, "learning/training_form.html", {"form": form, "training": training})


def _manage_page(request: AuthenticatedHttpRequest, training: Training, **forms: Any) -> HttpResponse:
    page = selectors.training_host_page(training=training, user=request.user)
    chosen = [str(m.public_id) for m in page.modules]
    published = list(modules_published(organisation_id=training.organisation_id))
    context = {
        "page": page,
        "training": training,
        "attach_form": forms.get("attach_form")
        or SessionAttachForm(sessions=selectors.sessions_to_attach(training=training)),
        "modules_form": forms.get("modules_form") or ModulesForm(modules=published, initial={"modules": chosen}),
        "add_form": forms.get("add_form") or _add_form(request.user),
        "may_add": request.user.role in CASEWORK_ROLES and training.status == TrainingStatus.PUBLISHED,
    }
    return render(request, "learning/training_manage.html", context)


def _add_form(user: User, data: Any = None) -> ParticipantAddForm:
    residents: list[User] = []
    if user.role in CASEWORK_ROLES:
        residents = list(
            residents_for_casework(user).filter(is_active=True).order_by("first_name", "last_name", "pk")[:500]
        )
    return ParticipantAddForm(data, residents=residents)


@require_training_staff
@require_GET
def training_manage_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    return _manage_page(request, training)


def _done(request: AuthenticatedHttpRequest, training: Training, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("learning:training_manage", public_id=training.public_id)


@require_training_staff
@require_POST
def training_publish_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    try:
        training_publish(training=training, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
        return redirect("learning:training_manage", public_id=training.public_id)
    return _done(request, training, _("De training is gepubliceerd. Inwoners kunnen zich nu aanmelden."))


@require_training_staff
@require_POST
def training_close_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    try:
        training_close(training=training, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
        return redirect("learning:training_manage", public_id=training.public_id)
    return _done(request, training, _("De training is gesloten. Aanmelden kan niet meer."))


@require_training_staff
@require_POST
def training_session_attach_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    form = SessionAttachForm(request.POST, sessions=selectors.sessions_to_attach(training=training))
    if form.is_valid():
        try:
            training_session_attach(
                training=training, session=form.sessions[form.cleaned_data["session"]], by=request.user
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, training, _("De bijeenkomst staat nu in het rooster van de training."))
    return _manage_page(request, training, attach_form=form)


@require_training_staff
@require_POST
def training_modules_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    form = ModulesForm(request.POST, modules=list(modules_published(organisation_id=training.organisation_id)))
    if form.is_valid():
        try:
            training_modules_set(training=training, modules=form.chosen(), by=request.user)
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, training, _("De modules van de training zijn opgeslagen."))
    return _manage_page(request, training, modules_form=form)


@require_training_staff
@require_POST
def training_participant_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    training = training_get_for_manager(user=request.user, public_id=public_id)
    if request.user.role not in CASEWORK_ROLES:
        raise Http404
    form = _add_form(request.user, request.POST)
    if form.is_valid():
        try:
            training_sign_up(
                training=training, resident=form.residents[form.cleaned_data["resident"]], added_by=request.user
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, training, _("De inwoner doet nu mee aan de training."))
    return _manage_page(request, training, add_form=form)


@require_permission(Permission.USE_CASEWORK)
@require_POST
def staff_training_sign_up_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """From the resident's learning page: a worker with the resident on
    their caseload signs them up for a published training."""
    resident = resident_get_for_user(
        user=request.user, public_id=public_id, action=Action.CHANGE, object_type="training_participant"
    )
    form = TrainingChoiceForm(
        request.POST, trainings=list(trainings_open_for_sign_up(organisation_id=resident.organisation_id))
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("learning:staff_resident", public_id=resident.public_id)
    training = form.trainings[form.cleaned_data["training"]]
    try:
        training_sign_up(training=training, resident=resident, added_by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s doet nu mee aan de training %(title)s.")
            % {"name": resident.first_name, "title": training.title},
        )
    return redirect("learning:staff_resident", public_id=resident.public_id)
