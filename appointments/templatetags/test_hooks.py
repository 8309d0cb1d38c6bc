"""Whether a page may expose hooks for browser tests (``data-test-hooks``).

Off in production: a test hook such as ``window.samenspraakCall`` hands the
live RTCPeerConnection and socket to any script on the page. On with DEBUG
or with the ``TEST_HOOKS`` setting (samenspraak/settings_test.py).
"""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def test_hooks_enabled() -> bool:
    return bool(settings.DEBUG or getattr(settings, "TEST_HOOKS", False))
