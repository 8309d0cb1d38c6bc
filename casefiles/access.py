"""Who may reach a case file and its items: the case file's getters.

Built on the policy core (``samenspraak.policy``): each getter finds the
object, then asks ``resident_get_for_user`` whether ``user`` may see its
resident, which logs the read or the refusal. Missing and forbidden both
answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import CLIENT_ROLES, Role, User
from audit.services import Access, access_log_record
from casefiles.models import Case, GoalAction
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id, resident_get_for_user

CASEFILE_SCOPE = "casefile"


def case_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> Case:
    """A case of a resident whose data ``user`` may see; logged like any
    resident data (a trusted person needs the "casefile" scope)."""
    case = Case.objects.select_related("resident", "organisation").filter(public_id=parse_public_id(public_id)).first()
    if case is None:
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=case.resident.public_id,
        action=action,
        object_type="case",
        object_id=str(case.public_id),
        scope=CASEFILE_SCOPE,
    )
    return case


def casefile_item_is_shared(item: Any) -> bool:
    """Goals, questions and agreements are the plan made together, so the
    resident always sees them; notes and documents only when shared."""
    return bool(getattr(item, "is_shared", True))


def casefile_item_get_for_user(
    *, user: User, model: type[Any], public_id: Any, action: str = Action.VIEW, resident_only: bool = False
) -> Any:
    """One item of a case file (note, document, goal, …) for ``user``.

    Residents and trusted persons reach only shared items; an internal item
    answers 404 to them and the attempt is logged as denied. With
    ``resident_only`` (commenting, asking for a correction: the resident's
    own say about their file) everyone else gets 404 too, also a trusted
    person who may read the file; the attempt is logged as denied.
    """
    item_id = parse_public_id(public_id)
    related = "goal__case__resident" if model is GoalAction else "case__resident"
    item = model.objects.select_related(related).filter(public_id=item_id).first()
    if item is None:
        raise Http404
    case = item.goal.case if model is GoalAction else item.case
    object_type = model.__name__.lower()
    # A trusted person's "casefile" scope is for reading: they never change
    # the file, so a change is refused like a missing item.
    writes_as_trusted_person = user.role == Role.TRUSTED_PERSON and action not in READ_ACTIONS
    if (
        (user.role in CLIENT_ROLES and not casefile_item_is_shared(item))
        or (resident_only and user.pk != case.resident_id)
        or writes_as_trusted_person
    ):
        access_log_record(
            actor=user,
            accesses=[Access(case.resident, object_type, str(item.public_id), action, Outcome.DENIED)],
        )
        raise Http404
    resident_get_for_user(
        user=user,
        public_id=case.resident.public_id,
        action=action,
        object_type=object_type,
        object_id=str(item.public_id),
        scope=CASEFILE_SCOPE,
    )
    return item
