"""A small reader for gettext PO files (polib is not a dependency)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"{self.msgid!r}{context}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {text!r}")
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a PO file, header included (its msgid is empty)."""
    entries: list[Entry] = []
    current = Entry()
    started = False
    target: tuple[str, int] | None = None  # which field a continuation line extends

    def finish() -> None:
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif line.startswith("#"):
            if started and not line.startswith("#|"):
                finish()  # a comment always opens the next entry
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if not line:
            finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and started and current.msgstr:
                finish()  # entries without a blank line between them
            started = True
            current.obsolete = current.obsolete or obsolete
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
            continue
        if line.startswith('"') and target is not None:
            name, slot = target
            addition = _unquote(line)
            if name == "msgstr":
                current.msgstr[slot] += addition
            else:
                setattr(current, name, (getattr(current, name) or "") + addition)
            continue
        raise ValueError(f"{path}:{number}: cannot read this line: {raw!r}")
    finish()
    return entries
