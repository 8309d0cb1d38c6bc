"""Form fields shared by every capability."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Characters that change how text looks without being visible themselves:
# bidirectional overrides and zero-width characters (used to disguise names
# and links).
INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs"}
# The zero-width joiner glues emoji together (a family, a profession).
ALLOWED_FORMAT_CHARACTERS = {"\u200d"}


def has_hidden_characters(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds characters that hide or reorder text
    (bidirectional overrides, zero-width spaces, control characters)."""
    allowed = ALLOWED_FORMAT_CHARACTERS | ({"\n", "\r", "\t"} if multiline else set())
    return any(unicodedata.category(ch) in INVISIBLE_CATEGORIES and ch not in allowed for ch in value)


class PlainTextField(forms.CharField):
    """A one-line text: trimmed, NFC-normalised, no control or invisible
    format characters, no markup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return unicodedata.normalize("NFC", text)

    def validate(self, value: str) -> None:
        super().validate(value)
        if has_hidden_characters(value):
            raise forms.ValidationError(_("Deze tekst bevat onzichtbare of speciale tekens. Typ hem opnieuw."))
        if "<" in value or ">" in value:
            raise forms.ValidationError(_("Gebruik geen < of > in deze tekst."))


class PlainTextArea(PlainTextField):
    """Several lines of plain text: newlines and tabs allowed, no other
    control or invisible characters, no markup."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)

    def validate(self, value: str) -> None:
        forms.CharField.validate(self, value)
        if has_hidden_characters(value, multiline=True):
            raise forms.ValidationError(_("Deze tekst bevat onzichtbare of speciale tekens. Typ hem opnieuw."))
