"""Who reaches the benchmark: team leads and organisation admins (their own
organisation against the group) and researchers (the group only). Every
page is aggregates; none reaches a resident. Refusals go through the
policy core's role gate (403, logged)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from accounts.models import Role, User
from samenspraak.policy import role_gate_refuse

BENCHMARK_ROLES = frozenset({Role.TEAM_LEAD, Role.ORGANISATION_ADMIN, Role.RESEARCHER})


def may_see_benchmark(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in BENCHMARK_ROLES)


def require_benchmark_role(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; then 403 for every role but team lead, organisation
    admin and researcher."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_see_benchmark(request.user):
            role_gate_refuse(request, "benchmark")
        return view(request, *args, **kwargs)

    return wrapped


def own_organisation_id(user: User) -> int | None:
    """The organisation whose own figures the viewer sees; a researcher
    sees the group only."""
    if user.role == Role.RESEARCHER:
        return None
    return user.organisation_id
