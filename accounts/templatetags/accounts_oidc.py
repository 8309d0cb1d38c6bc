"""``{% oidc_provider_name as name %}``: the provider's name when residents
may sign in through it (accounts/oidc.py), else an empty string."""

from __future__ import annotations

from django import template
from django.conf import settings

from accounts.oidc import oidc_is_enabled

register = template.Library()


@register.simple_tag
def oidc_provider_name() -> str:
    return str(settings.OIDC_PROVIDER_NAME) if oidc_is_enabled() else ""
