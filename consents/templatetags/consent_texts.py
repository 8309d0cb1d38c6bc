"""``{% consent_text "kind" %}``: the consent text a form shows, with its
version, from the register's texts (``consents.texts``), so the version the
register records is the one the person read."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from consents.texts import consent_text as text_of
from consents.texts import consent_text_version

register = template.Library()


@register.simple_tag
def consent_text(kind: str) -> SafeString:
    return format_html(
        '<p class="consent-text">{} <span class="item-meta">({})</span></p>',
        text_of(kind),
        _("tekst versie %(version)s") % {"version": consent_text_version(kind)},
    )
