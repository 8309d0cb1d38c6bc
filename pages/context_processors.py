from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import CLIENT_ROLES, Role
from benchmark.access import may_see_benchmark
from feedback.access import may_see_results as may_see_feedback_results
from pages.display import display_options
from samenspraak.attention import attention_counts
from samenspraak.policy import Permission, has_permission


@dataclass(frozen=True)
class NavItem:
    """A menu link; ``counters`` name the attention counts
    (samenspraak/attention.py) its badge adds up."""

    label: str
    url: str
    counters: tuple[str, ...] = ()
    count: int = 0


def navigation(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[tuple[str, str, tuple[str, ...]]] = []

    def add(label: str, url: str, *counters: str) -> None:
        items.append((label, url, counters))

    if has_permission(user, Permission.USE_RESIDENT_AREA):
        add(_("Mijn overzicht"), reverse("pages:resident_home"), "news")
        if user.role == Role.RESIDENT:
            add(_("Mijn dossier"), reverse("casefiles:resident_casefile"))
            add(_("Afspraken"), reverse("appointments:mine"), "proposals_waiting")
            add(_("Groepsbijeenkomsten"), reverse("appointments:sessions"))
            add(_("Berichten"), reverse("messaging:inbox"), "unread_conversations")
            add(_("Mijn dagboek"), reverse("diary:week"))
            add(_("Voorbereiden"), reverse("preparation:mine"))
            add(_("Leren"), reverse("learning:home"))
            add(_("Hoe gaat het met mij?"), reverse("outcomes:resident_progress"))
            add(_("Wie keek mee"), reverse("audit:who_looked"))
            add(_("Mijn privacy"), reverse("privacy:mine"))
            add(_("Vertrouwenspersonen"), reverse("pages:trusted_persons"))
    if has_permission(user, Permission.USE_CASEWORK):
        add(_("Vandaag"), reverse("pages:today"), "requests_waiting", "casefiles_waiting", "reviews_due")
        add(_("Mijn inwoners"), reverse("organisations:caseload"))
        add(_("Voortgang"), reverse("outcomes:caseload_progress"))
        add(_("Voorbereidingen"), reverse("preparation:staff_overview"))
        add(_("Leren"), reverse("learning:staff_home"))
        add(_("Agenda"), reverse("appointments:agenda"))
        add(_("Groepsbijeenkomsten"), reverse("appointments:sessions"))
        add(_("Berichten"), reverse("messaging:inbox"), "unread_conversations")
        add(_("Chatspreekuur"), reverse("messaging:queue"), "consultation_queue")
        add(_("Beschikbaarheid"), reverse("appointments:availability"))
        add(_("Inwoner uitnodigen"), reverse("accounts:resident_invite"))
    if has_permission(user, Permission.MANAGE_ORGANISATION):
        add(_("Beheer"), reverse("organisations:admin_home"))
        add(_("Gebruikers"), reverse("organisations:users"))
        add(_("Dagboek-signaal"), reverse("diary:rule"))
        add(_("Handleidingen voorbereiden"), reverse("preparation:admin_guides"))
        add(_("Lesstof maken"), reverse("learning:author_home"))
    if has_permission(user, Permission.VIEW_ACCESS_LOG):
        add(_("Toegangslog"), reverse("audit:access_log"))
        add(_("Privacyverzoeken"), reverse("privacy:requests"), "privacy_requests")
        add(_("Datalekken"), reverse("privacy:breaches"))
        add(_("Bewaartermijnen"), reverse("privacy:retention"))
        add(_("Toestemmingen"), reverse("privacy:officer_consents"))
    if may_see_benchmark(user):
        add(_("Benchmark"), reverse("benchmark:dashboard"))
    if may_see_feedback_results(user):
        add(_("Ervaringen"), reverse("feedback:results"))
    if has_permission(user, Permission.MANAGE_PLATFORM):
        add(_("Organisaties"), reverse("organisations:platform_home"))
    add(_("Inloggen en beveiliging"), reverse("pages:security"))
    counts = attention_counts(user)
    result = []
    for item in items:
        counters = tuple(name for name in item[2] if name in counts)
        result.append(NavItem(item[0], item[1], counters, sum(counts[name] for name in counters)))
    return result


class Navigation:
    """The menu, built when a template first uses it: a fragment (a list
    fetched by a script) makes no count queries."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def items(self) -> list[NavItem]:
        return navigation(self.user)

    @cached_property
    def count(self) -> int:
        return sum(item.count for item in self.items)

    @cached_property
    def counters(self) -> str:
        return " ".join(name for item in self.items for name in item.counters)


def layout(request: HttpRequest) -> dict[str, Any]:
    # Error pages can be rendered before the authentication middleware ran
    # (a bad Host header, for one), so the request may have no user.
    user: Any = getattr(request, "user", None) or AnonymousUser()
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    is_staff_area = user.is_authenticated and user.role not in CLIENT_ROLES
    nav = Navigation(user)
    return {
        "display": display_options(request),
        "organisation": organisation,
        "is_staff_area": is_staff_area,
        "nav": nav,
    }
