"""Who may see and do what: the policy core.

Every view reaches resident data through a function here, or through a
capability's getter built on one (``resident_get_for_user``), and every such
read or change is written to the access log by these functions (allowed and
denied alike), so no view logs by hand and no view can forget to.

This module holds roles and permissions, the role gate, the residents a
person may see, the admin getters and the logging of reads and refusals. It
knows no capability: the getters of a case file, a conversation or an
appointment live beside their data, in each capability's ``access.py``
(``casefiles.access``, ``messaging.access``, ``appointments.access``), in the
way Zulip keeps access_stream_by_id beside streams.

Rules, one per line:
- nobody ever crosses organisations;
- a resident sees only their own data;
- a trusted person sees only what a resident granted, per scope;
- a social worker sees the residents on their own caseload;
- a team lead sees the caseloads of the workers in their team;
- organisation admins manage accounts (names, roles), never case data;
- the privacy officer reads the access log of their organisation;
- the platform admin manages organisations and never reads resident data.

Missing and forbidden look the same to the caller: ``Http404``.

Each access is logged once. A getter asked for a read ("view") logs it. A
getter asked for a change ("create", "change", "delete", "print") logs only
a refusal: when allowed, the service that makes the change logs it in the
same transaction, so the log says what really happened.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record

if TYPE_CHECKING:
    from organisations.models import TrustedPersonGrant

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome

READ_ACTIONS = frozenset({Action.VIEW, Action.LIST, Action.EXPORT})

P = ParamSpec("P")
R = TypeVar("R")


class Permission(enum.StrEnum):
    USE_RESIDENT_AREA = "use_resident_area"
    USE_CASEWORK = "use_casework"
    INVITE_RESIDENTS = "invite_residents"
    MANAGE_ORGANISATION = "manage_organisation"
    VIEW_ACCESS_LOG = "view_access_log"
    MANAGE_PLATFORM = "manage_platform"
    USE_MESSAGING = "use_messaging"
    BOOK_APPOINTMENTS = "book_appointments"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.RESIDENT: frozenset({Permission.USE_RESIDENT_AREA, Permission.USE_MESSAGING, Permission.BOOK_APPOINTMENTS}),
    # Messaging opens only the conversation of a resident who granted
    # "messages" (``conversation_get_for_user``); groups stay closed.
    Role.TRUSTED_PERSON: frozenset({Permission.USE_RESIDENT_AREA, Permission.USE_MESSAGING}),
    Role.SOCIAL_WORKER: frozenset({Permission.USE_CASEWORK, Permission.INVITE_RESIDENTS, Permission.USE_MESSAGING}),
    Role.TEAM_LEAD: frozenset({Permission.USE_CASEWORK, Permission.INVITE_RESIDENTS, Permission.USE_MESSAGING}),
    Role.ORGANISATION_ADMIN: frozenset({Permission.MANAGE_ORGANISATION}),
    Role.PRIVACY_OFFICER: frozenset({Permission.VIEW_ACCESS_LOG}),
    Role.RESEARCHER: frozenset(),
    Role.PLATFORM_ADMIN: frozenset({Permission.MANAGE_PLATFORM}),
    Role.VISITOR: frozenset(),
}


def has_permission(user: Any, permission: Permission) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def role_gate_refuse(request: HttpRequest, gate: str) -> NoReturn:
    """Refuse a signed-in person at a role gate (403), logged.

    A refusal at the role gate concerns no resident: one entry without a
    subject, in the chain of the user's organisation, naming the gate
    (a permission, or another rule such as "group_sessions"). The view never
    runs, so nothing else logs this request. Every gate uses this."""
    is_read = request.method in {"GET", "HEAD", "OPTIONS"}
    access_log_record(
        actor=request.user,  # type: ignore[arg-type]
        accesses=[Access(None, "permission", gate, Action.VIEW if is_read else Action.CHANGE, Outcome.DENIED)],
    )
    raise PermissionDenied


def require_permission(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """View decorator: sign in first, then 403 for roles without ``permission``."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            assert isinstance(request, HttpRequest)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())  # type: ignore[return-value]
            if not has_permission(request.user, permission):
                role_gate_refuse(request, permission.value)
            return view(*args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def organisation_id_of(user: User) -> int:
    """The organisation of a signed-in user who must belong to one."""
    if user.organisation_id is None:
        raise PermissionDenied
    return user.organisation_id


def parse_public_id(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


# --- Residents ---------------------------------------------------------------


def residents_for_casework(user: User) -> QuerySet[User]:
    """The residents whose case data ``user`` may see. Not logged: a selector
    that shows rows from this queryset logs them with ``residents_log_listed``."""
    if user.organisation_id is None:
        return User.objects.none()
    residents = User.objects.filter(role=Role.RESIDENT, organisation_id=user.organisation_id)
    if user.role == Role.RESIDENT:
        return residents.filter(pk=user.pk)
    if user.role == Role.TRUSTED_PERSON:
        from organisations.models import in_force_q

        # One filter() call: the person and "in force" hold for the same grant.
        return residents.filter(
            Q(trusted_person_grants__trusted_person=user) & in_force_q(prefix="trusted_person_grants__")
        ).distinct()
    if user.role == Role.SOCIAL_WORKER:
        return residents.filter(worker_assignments__worker=user).distinct()
    if user.role == Role.TEAM_LEAD:
        in_team = Q(worker_assignments__worker__team_id=user.team_id) if user.team_id else Q(pk__in=[])
        return residents.filter(in_team | Q(worker_assignments__worker=user)).distinct()
    return residents.none()


def active_grant(*, trusted_person: User, resident: User) -> TrustedPersonGrant | None:
    from organisations.models import TrustedPersonGrant

    return TrustedPersonGrant.objects.in_force().filter(trusted_person=trusted_person, resident=resident).first()


def resident_get_for_user(
    *,
    user: User,
    public_id: Any,
    action: str = Action.VIEW,
    object_type: str = "resident",
    object_id: str = "",
    scope: str | None = None,
) -> User:
    """The resident ``public_id`` if ``user`` may see their data; logs the access.

    ``scope`` names what a trusted person must have been granted (for example
    ``"appointments"``); without a scope a trusted person is refused.
    A foreign, unknown or forbidden resident raises ``Http404``; an attempt on
    an existing resident is logged as denied.
    """
    resident_id = parse_public_id(public_id)
    resident = residents_for_casework(user).filter(public_id=resident_id).first()
    if resident is not None and user.role == Role.TRUSTED_PERSON and user.pk != resident.pk:
        grant = active_grant(trusted_person=user, resident=resident)
        if scope is None or grant is None or scope not in grant.scopes:
            resident = None
    if resident is None:
        existing = User.objects.filter(public_id=resident_id, role=Role.RESIDENT).first()
        if existing is not None:
            access_log_record(
                actor=user,
                accesses=[Access(existing, object_type, object_id or str(resident_id), action, Outcome.DENIED)],
            )
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(
            actor=user, accesses=[Access(resident, object_type, object_id or str(resident.public_id), action)]
        )
    return resident


def residents_log_listed(*, user: User, residents: Iterable[User], object_type: str = "resident") -> None:
    """Log that ``residents`` were shown to ``user`` in a list (one entry each)."""
    access_log_record(
        actor=user,
        accesses=[Access(r, object_type, str(r.public_id), Action.LIST) for r in residents],
    )


# --- Accounts, for organisation admins ----------------------------------------


def users_for_admin(user: User) -> QuerySet[User]:
    """Accounts an organisation admin manages: everyone in their organisation."""
    if user.role != Role.ORGANISATION_ADMIN or user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


def user_get_for_admin(*, user: User, public_id: Any, action: str = Action.VIEW) -> User:
    """An account in the admin's organisation. Reading a resident's account
    (name, contact details) is logged like any other resident data; a change
    is logged by the service that makes it."""
    account = users_for_admin(user).filter(public_id=parse_public_id(public_id)).first()
    if account is None:
        raise Http404
    if account.role == Role.RESIDENT and action in READ_ACTIONS:
        access_log_record(actor=user, accesses=[Access(account, "account", str(account.public_id), action)])
    return account


def login_required_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
