"""Markdown written by staff, made safe to show to residents.

The Markdown is rendered to HTML and then cleaned by nh3 with a short list
of tags and attributes: a ``<script>``, an event handler (``onerror=``), a
``javascript:`` link or inline style written into the text never reaches a
page. Images are their own step kind (with alt text), so ``<img>`` is not
allowed inside a text. Headings start at level 2 (the page owns the h1).
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "hr", "code", "pre"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def markdown_to_safe_html(text: str) -> str:
    """The cleaned HTML for ``text`` (Markdown). Raw HTML in the text is
    kept only where nh3 allows it; everything else is dropped."""
    # A "# Title" in the text would be a second h1 on the page.
    shifted = "\n".join(f"#{line}" if line.startswith("#") else line for line in text.splitlines())
    html = markdown.markdown(shifted, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
