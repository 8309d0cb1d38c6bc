"""Responses that may carry personal data are never stored by a cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# The only dynamic pages that are the same for everyone and may be kept by a
# browser or proxy: the health check (it sets its own header) and an
# organisation's logo (public by design, cached for a day). Static files are
# served by WhiteNoise before a request reaches this middleware.
PUBLIC_URL_NAMES = frozenset({"health", "organisations:logo"})

# Directives that let a cache keep (or share) a copy; dropped from a page
# that gets ``no-store``.
STORING_DIRECTIVES = frozenset(
    {"public", "max-age", "s-maxage", "immutable", "stale-while-revalidate", "stale-if-error"}
)


class NoStoreMiddleware:
    """Send ``Cache-Control: no-store`` on every dynamic response.

    Nearly every page here either shows who is signed in, carries a CSRF
    token, or works with a cookie (the session, the consultation-hour
    visitor, the activation steps). A shared computer's browser cache or
    the back button must not bring such a page back after signing out, so
    the rule is "never stored" unless the URL is in ``PUBLIC_URL_NAMES``.

    A header the view set itself is kept when it already says ``no-store``
    (it may be stricter: ``private``); otherwise directives that allow
    storing (``public``, ``max-age``) are replaced. Placed right after
    WhiteNoise (static files never reach it) and before the session, so it
    also sees the redirects that later middleware answer with.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in PUBLIC_URL_NAMES:
            return response
        response_no_store(response)
        return response


def response_no_store(response: HttpResponse) -> None:
    """Make ``response`` never stored, keeping stricter directives it has."""
    directives = [part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()]
    names = {part.split("=", 1)[0].strip().lower() for part in directives}
    if "no-store" not in names or names & STORING_DIRECTIVES:
        kept = [part for part in directives if part.split("=", 1)[0].strip().lower() not in STORING_DIRECTIVES]
        if "no-store" not in names:
            kept.insert(0, "no-store")
        response["Cache-Control"] = ", ".join(kept)
    # HTTP/1.0 caches know only Pragma; Expires would contradict no-store.
    response["Pragma"] = "no-cache"
    if response.has_header("Expires"):
        del response["Expires"]
    patch_vary_headers(response, ("Cookie",))
