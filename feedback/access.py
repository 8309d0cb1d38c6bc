"""Who reaches the experience survey.

- A resident reaches their own offers, nobody else's (a trusted person
  neither: the answer is the resident's own word). Missing and forbidden
  both answer ``Http404``; a read is logged, an attempt on someone else's
  offer is logged as denied.
- The results per channel are for the organisation admin and team leads of
  the organisation; they are aggregates and name no resident. Everyone else
  is refused at the role gate (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import Role, User
from audit.services import Access, access_log_record
from feedback.models import FeedbackOffer
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id

RESULTS_ROLES = frozenset({Role.TEAM_LEAD, Role.ORGANISATION_ADMIN})


def feedback_offer_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> FeedbackOffer:
    """One of ``user``'s own offers (any status; the view says what may be
    done with it)."""
    offer = FeedbackOffer.objects.select_related("resident").filter(public_id=parse_public_id(public_id)).first()
    if offer is None:
        raise Http404
    if offer.resident_id != user.pk or user.role != Role.RESIDENT:
        access_log_record(
            actor=user,
            accesses=[Access(offer.resident, "feedback_offer", str(offer.public_id), action, Outcome.DENIED)],
        )
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(actor=user, accesses=[Access(offer.resident, "feedback_offer", str(offer.public_id), action)])
    return offer


def may_see_results(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in RESULTS_ROLES)


def may_read_remarks(user: User) -> bool:
    """Open texts, without names, only for the organisation admin."""
    return user.role == Role.ORGANISATION_ADMIN


def require_results_role(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; then 403 for every role but team lead and organisation admin."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from samenspraak.policy import role_gate_refuse

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_see_results(request.user):
            role_gate_refuse(request, "feedback_results")
        return view(request, *args, **kwargs)

    return wrapped
