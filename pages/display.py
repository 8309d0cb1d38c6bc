"""Display settings (large text, high contrast) kept in a cookie, so they
work before signing in too: that is where people need them first."""

from __future__ import annotations

from django.http import HttpRequest

COOKIE_NAME = "weergave"
OPTIONS = ("groot", "contrast")


def display_options(request: HttpRequest) -> set[str]:
    raw = request.COOKIES.get(COOKIE_NAME, "")
    return {part for part in raw.split(".") if part in OPTIONS}


def display_cookie_value(options: set[str]) -> str:
    return ".".join(sorted(o for o in options if o in OPTIONS))
