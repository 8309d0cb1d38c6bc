"""Activation codes and invitation tokens.

A printed code must be easy to type for someone who is not used to
computers: capitals and digits only, without the look-alikes 0/O and 1/I/L (so a
mistyped look-alike is simply a wrong code), in groups
of four. Twelve characters from 31 give about 59 bits, and guessing is
throttled (``ACCOUNT_RATE_LIMITS["activate"]``).
"""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_activation_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(typed: str) -> str:
    """What the person typed, as the canonical grouped code (or "")."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return format_code(cleaned)


def new_link_token() -> str:
    return secrets.token_urlsafe(32)
