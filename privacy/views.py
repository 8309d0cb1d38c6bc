"""The privacy officer's pages (requests and the breach register) and the
resident's privacy page. Officer pages sit behind the privacy officer's
permission (``VIEW_ACCESS_LOG``; other roles get a logged 403) and reach
objects through ``privacy.access`` (another organisation's: 404, logged).
Views are thin: forms check, services change and log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from audit.services import Access, access_log_record
from blend.services import BlendError
from consents.access import consent_record_get_for_subject
from consents.models import ConsentRecord
from consents.selectors import consent_records_of
from consents.services import ConsentError, consent_withdraw_through_owner
from organisations.models import TrustedPersonGrant
from organisations.selectors import resident_grants
from organisations.services import OrganisationError
from privacy import selectors
from privacy.access import (
    breach_get_for_officer,
    privacy_request_get_for_officer,
    resident_get_for_officer,
    residents_for_officer,
)
from privacy.forms import (
    AccessLogSearchForm,
    ActionForm,
    AffectedAddForm,
    AuthorityForm,
    BreachForm,
    ExtendForm,
    HoldResidentForm,
    MessageForm,
    RequestFilterForm,
    RequestForm,
    ResidentRequestForm,
    StatusForm,
)
from privacy.models import AP_DEADLINE, Breach, BreachAffected, PrivacyRequest
from privacy.services import (
    PrivacyError,
    breach_action_add,
    breach_affected_add,
    breach_authority_set,
    breach_message_send,
    breach_record,
    extension_latest,
    privacy_request_extend,
    privacy_request_file_by_resident,
    privacy_request_register,
    privacy_request_status_set,
)
from samenspraak.http import AuthenticatedHttpRequest
from samenspraak.policy import (
    Action,
    Outcome,
    Permission,
    organisation_id_of,
    require_permission,
    resident_get_for_user,
    residents_log_listed,
)

OFFICER = Permission.VIEW_ACCESS_LOG


# --- Requests ---------------------------------------------------------------------------


@require_permission(OFFICER)
@require_GET
def requests_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    rows = selectors.privacy_requests_list(officer=request.user, status=status, kind=kind)
    residents_log_listed(
        user=request.user,
        residents=[row.request.resident for row in rows if row.request.resident is not None],
        object_type="privacy_request",
    )
    return render(request, "privacy/requests.html", {"form": form, "rows": rows})


@require_permission(OFFICER)
@require_http_methods(["GET", "POST"])
def request_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id_of(request.user)
    form = RequestForm(
        request.POST or None,
        residents=residents_for_officer(request.user),
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST":
        _log_foreign_choice(request, "resident")
        if form.is_valid():
            try:
                created = privacy_request_register(officer=request.user, data=form.request_data())
            except PrivacyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Het verzoek is geregistreerd. Uiterste datum: %(due)s.")
                    % {"due": created.due_on.strftime("%d-%m-%Y")},
                )
                return redirect("privacy:request_detail", public_id=created.public_id)
    return render(request, "privacy/request_new.html", {"form": form})


def _log_foreign_choice(request: AuthenticatedHttpRequest, field: str, object_type: str = "privacy_request") -> None:
    """A posted resident of another organisation is refused by the form;
    the attempt is logged for that resident."""
    values = request.POST.getlist(field)
    if not values:
        return
    own = residents_for_officer(request.user)
    foreign = []
    for value in values[:100]:
        try:
            public_id = uuid.UUID(str(value))
        except ValueError:  # not a UUID: the form says so
            public_id = None
        resident = User.objects.filter(public_id=public_id, role=Role.RESIDENT).first() if public_id else None
        if resident is not None and not own.filter(pk=resident.pk).exists():
            foreign.append(resident)
    access_log_record(
        actor=request.user,
        accesses=[Access(r, object_type, str(r.public_id), Action.CHANGE, Outcome.DENIED) for r in foreign],
    )


def _request_page(
    request: AuthenticatedHttpRequest,
    item: PrivacyRequest,
    *,
    extend_form: ExtendForm | None = None,
    status_form: StatusForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "privacy/request_detail.html",
        {
            "item": item,
            "days_left": (item.due_on - today).days if item.is_open else None,
            "events": item.events.select_related("by"),
            "extend_form": extend_form or ExtendForm(initial={"until": extension_latest(item)}),
            "status_form": status_form or StatusForm(),
            "extension_latest": extension_latest(item),
        },
        status=200,
    )


@require_permission(OFFICER)
@require_GET
def request_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = privacy_request_get_for_officer(user=request.user, public_id=public_id)
    return _request_page(request, item)


@require_permission(OFFICER)
@require_POST
def request_extend_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = privacy_request_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = ExtendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = privacy_request_extend(
                request=item, officer=request.user, until=data["until"], reason=data["reason"], told=data["told"]
            )
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("De termijn is verlengd tot %(due)s.") % {"due": item.due_on.strftime("%d-%m-%Y")}
            )
            return redirect("privacy:request_detail", public_id=item.public_id)
    return _request_page(request, item, extend_form=form)


@require_permission(OFFICER)
@require_POST
def request_status_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = privacy_request_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            item = privacy_request_status_set(
                request=item,
                officer=request.user,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De status is nu: %(status)s.") % {"status": item.get_status_display()})
            return redirect("privacy:request_detail", public_id=item.public_id)
    return _request_page(request, item, status_form=form)


# --- Breaches ---------------------------------------------------------------------------


@require_permission(OFFICER)
@require_GET
def breaches_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    breaches = selectors.breaches_list(officer=request.user)
    return render(request, "privacy/breaches.html", {"breaches": breaches, "now": timezone.now()})


@require_permission(OFFICER)
@require_http_methods(["GET", "POST"])
def breach_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation_id_of(request.user)
    now = timezone.localtime()
    form = BreachForm(request.POST or None, initial={"discovered_on": now.date(), "discovered_time": now.time()})
    if request.method == "POST" and form.is_valid():
        try:
            breach = breach_record(officer=request.user, data=form.breach_data())
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het datalek is vastgelegd."))
            return redirect("privacy:breach_detail", public_id=breach.public_id)
    return render(request, "privacy/breach_new.html", {"form": form})


def _hours_and_minutes(left: timedelta) -> tuple[int, int]:
    minutes = max(int(left.total_seconds() // 60), 0)
    return minutes // 60, minutes % 60


def _people_of(user: User) -> Any:
    return User.objects.filter(organisation_id=organisation_id_of(user))


def _breach_page(request: AuthenticatedHttpRequest, breach: Breach, **forms: Any) -> HttpResponse:
    affected = list(selectors.breach_affected_list(breach=breach))
    residents_log_listed(user=request.user, residents=[a.resident for a in affected], object_type="breach")
    search = forms.pop("search", None) or AccessLogSearchForm(
        request.GET if "actor" in request.GET else None, people=_people_of(request.user)
    )
    found: list[User] = []
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        found = list(
            selectors.residents_accessed_by(
                officer=request.user, actor=data["actor"], start=data["start"], end=data["end"]
            )
        )
        residents_log_listed(user=request.user, residents=found, object_type="breach")
    already = {a.resident_id for a in affected}
    now = timezone.now()
    return render(
        request,
        "privacy/breach_detail.html",
        {
            "breach": breach,
            "affected": affected,
            "to_inform": sum(1 for a in affected if a.informed_at is None),
            "left": _hours_and_minutes(breach.ap_deadline - now),
            "is_late": now > breach.ap_deadline,
            "deadline_hours": int(AP_DEADLINE.total_seconds() // 3600),
            "actions": breach.actions.select_related("by"),
            "sent": breach.messages.select_related("sent_by"),
            "search": search,
            "found": [(r, r.pk in already) for r in found],
            "authority_form": forms.get("authority_form") or AuthorityForm(),
            "affected_form": forms.get("affected_form")
            or AffectedAddForm(residents=residents_for_officer(request.user)),
            "action_form": forms.get("action_form") or ActionForm(),
            "message_form": forms.get("message_form") or MessageForm(),
        },
    )


@require_permission(OFFICER)
@require_GET
def breach_detail_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    breach = breach_get_for_officer(user=request.user, public_id=public_id)
    return _breach_page(request, breach)


@require_permission(OFFICER)
@require_POST
def breach_authority_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    breach = breach_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = AuthorityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            breach_authority_set(
                breach=breach,
                officer=request.user,
                notified_at=data["notified_at"],
                reference=data["reference"],
                not_needed_reason=data["not_needed_reason"],
            )
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De melding bij de Autoriteit Persoonsgegevens is vastgelegd."))
            return redirect("privacy:breach_detail", public_id=breach.public_id)
    return _breach_page(request, breach, authority_form=form)


@require_permission(OFFICER)
@require_POST
def breach_affected_add_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """By hand (one ``resident``) or from an access-log search (several
    ``residents``, marked as found in the log)."""
    breach = breach_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    own = residents_for_officer(request.user)
    if "residents" in request.POST:
        _log_foreign_choice(request, "residents", "breach")
        wanted = request.POST.getlist("residents")[:500]
        try:
            residents = list(own.filter(public_id__in=[uuid.UUID(str(value)) for value in wanted]))
        except ValueError:
            residents = []
        if not residents or len(residents) != len(set(wanted)):
            messages.error(request, _("Kies alleen inwoners van uw eigen organisatie, en minstens één."))
            return redirect("privacy:breach_detail", public_id=breach.public_id)
        found = BreachAffected.Found.ACCESS_LOG
    else:
        _log_foreign_choice(request, "resident", "breach")
        form = AffectedAddForm(request.POST, residents=own)
        if not form.is_valid():
            return _breach_page(request, breach, affected_form=form)
        residents, found = [form.cleaned_data["resident"]], BreachAffected.Found.BY_HAND
    try:
        added = breach_affected_add(breach=breach, officer=request.user, residents=residents, found=found)
    except PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)s inwoner(s) toegevoegd aan de betrokkenen.") % {"count": len(added)},
        )
    return redirect("privacy:breach_detail", public_id=breach.public_id)


@require_permission(OFFICER)
@require_POST
def breach_action_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    breach = breach_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            breach_action_add(breach=breach, officer=request.user, text=form.cleaned_data["text"])
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De actie is vastgelegd."))
            return redirect("privacy:breach_detail", public_id=breach.public_id)
    return _breach_page(request, breach, action_form=form)


@require_permission(OFFICER)
@require_POST
def breach_message_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    breach = breach_get_for_officer(user=request.user, public_id=public_id, action=Action.CHANGE)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = breach_message_send(breach=breach, officer=request.user, text=form.cleaned_data["text"])
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Het bericht is verstuurd aan %(count)s inwoner(s).") % {"count": message.recipients.count()},
            )
            return redirect("privacy:breach_detail", public_id=breach.public_id)
    return _breach_page(request, breach, message_form=form)


# --- The resident ----------------------------------------------------------------------


@require_permission(Permission.USE_RESIDENT_AREA)
@require_http_methods(["GET", "POST"])
def mine_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The resident's privacy page: file a request, follow it, read
    messages about their data. A trusted person gets 404 (the resident's own)."""
    resident = resident_get_for_user(
        user=request.user,
        public_id=request.user.public_id,
        action=Action.CREATE if request.method == "POST" else Action.VIEW,
        object_type="privacy_request",
    )
    form = ResidentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_request_file_by_resident(
                resident=resident, kind=form.cleaned_data["kind"], description=form.cleaned_data["description"]
            )
        except PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Wij hebben uw verzoek ontvangen. De privacyfunctionaris behandelt het. "
                    "U krijgt binnen een maand antwoord."
                ),
            )
            return redirect("privacy:mine")
    return render(
        request,
        "privacy/mine.html",
        {
            "form": form,
            "requests": selectors.privacy_requests_of_resident(resident=resident),
            "breach_messages": selectors.breach_messages_of_resident(resident=resident),
            **_consents_and_grants(resident),
        },
    )


def _consents_and_grants(resident: User) -> dict[str, Any]:
    """What the resident agreed to: every record of the consent register
    (active first, with a withdraw button), and the trusted persons who may
    look along."""
    records = _with_scope_labels(consent_records_of(subject=resident))
    return {
        "consents": [record for record in records if record.is_active],
        "consent_history": [record for record in records if not record.is_active],
        "grants": list(resident_grants(resident=resident)),
    }


def _with_scope_labels(records: Iterable[ConsentRecord]) -> list[ConsentRecord]:
    """The records, each with ``scope_labels``: what a trusted person may see."""
    labels = dict(TrustedPersonGrant.Scope.choices)
    rows = list(records)
    for record in rows:
        record.scope_labels = [str(labels[item]) for item in record.scope_items if item in labels]  # type: ignore[attr-defined]
    return rows


@require_permission(Permission.USE_RESIDENT_AREA)
@require_POST
def consent_withdraw_view(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Withdraw one consent from the privacy page: the same as withdrawing
    it in its own place (the owner's service does it, at once)."""
    record = consent_record_get_for_subject(user=request.user, public_id=public_id)
    try:
        consent_withdraw_through_owner(record=record, withdrawn_by=request.user)
    except (ConsentError, BlendError, OrganisationError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("U hebt uw toestemming ingetrokken: %(kind)s. Dit geldt vanaf nu.") % {"kind": record.get_kind_display()},
        )
    return redirect("privacy:mine")


# --- The officer: a resident's consents -------------------------------------------------


@require_permission(OFFICER)
@require_GET
def officer_consents_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The consent history of one resident of the officer's organisation
    (chosen with GET); the read is logged by ``resident_get_for_officer``."""
    organisation_id_of(request.user)
    chooser = HoldResidentForm(
        request.GET if "inwoner" in request.GET else None, residents=residents_for_officer(request.user)
    )
    resident = None
    if chooser.is_bound and chooser.is_valid():
        resident = resident_get_for_officer(
            user=request.user, public_id=chooser.cleaned_data["inwoner"].public_id, object_type="consent_record"
        )
    records = _with_scope_labels(consent_records_of(subject=resident)) if resident is not None else []
    return render(
        request, "privacy/officer_consents.html", {"chooser": chooser, "resident": resident, "records": records}
    )
