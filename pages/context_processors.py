from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import CLIENT_ROLES, Role
from pages.display import display_options
from samenspraak.policy import Permission, has_permission


def navigation(user: Any) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if not getattr(user, "is_authenticated", False):
        return items
    if has_permission(user, Permission.USE_RESIDENT_AREA):
        items.append((_("Mijn overzicht"), reverse("pages:resident_home")))
        if user.role == Role.RESIDENT:
            items.append((_("Mijn dossier"), reverse("casefiles:resident_casefile")))
            items.append((_("Afspraken"), reverse("appointments:mine")))
            items.append((_("Groepsbijeenkomsten"), reverse("appointments:sessions")))
            items.append((_("Berichten"), reverse("messaging:inbox")))
            items.append((_("Wie keek mee"), reverse("audit:who_looked")))
            items.append((_("Vertrouwenspersonen"), reverse("pages:trusted_persons")))
    if has_permission(user, Permission.USE_CASEWORK):
        items.append((_("Mijn inwoners"), reverse("organisations:caseload")))
        items.append((_("Agenda"), reverse("appointments:agenda")))
        items.append((_("Groepsbijeenkomsten"), reverse("appointments:sessions")))
        items.append((_("Berichten"), reverse("messaging:inbox")))
        items.append((_("Chatspreekuur"), reverse("messaging:queue")))
        items.append((_("Beschikbaarheid"), reverse("appointments:availability")))
        items.append((_("Inwoner uitnodigen"), reverse("accounts:resident_invite")))
    if has_permission(user, Permission.MANAGE_ORGANISATION):
        items.append((_("Beheer"), reverse("organisations:admin_home")))
        items.append((_("Gebruikers"), reverse("organisations:users")))
    if has_permission(user, Permission.VIEW_ACCESS_LOG):
        items.append((_("Toegangslog"), reverse("audit:access_log")))
    if has_permission(user, Permission.MANAGE_PLATFORM):
        items.append((_("Organisaties"), reverse("organisations:platform_home")))
    items.append((_("Inloggen en beveiliging"), reverse("pages:security")))
    return items


def layout(request: HttpRequest) -> dict[str, Any]:
    # Error pages can be rendered before the authentication middleware ran
    # (a bad Host header, for one), so the request may have no user.
    user: Any = getattr(request, "user", None) or AnonymousUser()
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    is_staff_area = user.is_authenticated and user.role not in CLIENT_ROLES
    return {
        "display": display_options(request),
        "organisation": organisation,
        "is_staff_area": is_staff_area,
        "nav_items": navigation(user),
    }
