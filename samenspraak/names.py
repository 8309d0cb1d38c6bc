"""Sorting people's names the Dutch way.

In Dutch lists a surname's prefix ("tussenvoegsel") does not count: "Jan de
Vries" sorts under V and "Fatima el Amrani" under A. Lists are paginated, so
the order must come from the database: ``accounts.User`` stores this key in
``sort_name`` on every save.
"""

from __future__ import annotations

import unicodedata

# Written in lower case; multi-word prefixes ("van der", "in 't") are
# stripped word by word.
SURNAME_PREFIXES = frozenset(
    {
        "'s",
        "'t",
        "aan",
        "al",
        "d'",
        "de",
        "den",
        "der",
        "el",
        "het",
        "in",
        "op",
        "te",
        "ten",
        "ter",
        "uit",
        "van",
        "von",
    }
)
# Arabic articles are often written joined: "el-Amrani", "al-Hassan".
JOINED_PREFIXES = ("el-", "al-")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def surname_sort_key(last_name: str) -> str:
    """The key a surname sorts by: lower case, accents folded, prefixes
    stripped ("van der Berg" -> "berg"). A name that is only a prefix ("De")
    keeps its last word, so nobody gets an empty key by accident."""
    words = _fold_accents(last_name).translate(APOSTROPHES).lower().split()
    while len(words) > 1 and words[0] in SURNAME_PREFIXES:
        words = words[1:]
    if words and words[0].startswith(JOINED_PREFIXES) and len(words[0]) > 3:
        words[0] = words[0][3:]
    return " ".join(words)
