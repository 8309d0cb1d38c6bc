"""The English catalogue: complete, up to date with the Dutch source, and used.

Dutch is written in the source; English lives in
``locale/en/LC_MESSAGES/django.po`` (README, "Language"). These tests fail
when a Dutch UI string has no English yet. The fix is always the same:

    DJANGO_DEBUG=1 .venv/bin/python manage.py makemessages -l en \\
        --ignore=.venv --ignore=var --ignore=bench --no-obsolete

then translate every empty or fuzzy entry in the .po file.

The .po file is parsed here by hand: polib is not a dependency.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from tests.po import Entry, parse_po

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

FIX = (
    "Run `DJANGO_DEBUG=1 .venv/bin/python manage.py makemessages -l en --ignore=.venv "
    "--ignore=var --ignore=bench --no-obsolete` and translate the new entries in "
    "locale/en/LC_MESSAGES/django.po."
)

# The same folders the documented makemessages command skips.
MAKEMESSAGES_IGNORE = [".venv", "var", "bench"]


def _messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_dutch_string_has_a_checked_english_translation() -> None:
    entries = parse_po(CATALOGUE)
    messages = _messages(entries)
    assert messages, f"{CATALOGUE} holds no messages"

    header = [entry for entry in entries if not entry.msgid]
    assert header and "fuzzy" not in header[0].flags, "The catalogue header is marked fuzzy."

    fuzzy = [entry.label() for entry in messages if "fuzzy" in entry.flags]
    assert not fuzzy, f"Fuzzy (unchecked) translations: {fuzzy}. Check them and remove '#, fuzzy'."

    empty = []
    for entry in messages:
        slots = (0, 1) if entry.msgid_plural is not None else (0,)
        if any(not entry.msgstr.get(slot, "").strip() for slot in slots):
            empty.append(entry.label())
    assert not empty, f"Dutch strings without English: {empty}. {FIX}"


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\{\s*\w+\s*\}\}|</?[a-zA-Z][^>]*>")


def test_translations_keep_placeholders_and_markup() -> None:
    """%(name)s placeholders and HTML tags must survive translation unchanged."""
    wrong = []
    for entry in _messages(parse_po(CATALOGUE)):
        expected = sorted(_PLACEHOLDER.findall(entry.msgid) + _PLACEHOLDER.findall(entry.msgid_plural or ""))
        for translation in entry.msgstr.values():
            found = sorted(_PLACEHOLDER.findall(translation))
            if set(found) != set(expected):
                wrong.append(f"{entry.label()} -> {translation!r}")
    assert not wrong, f"Placeholders or tags differ from the Dutch: {wrong}"


def _copy_translatable_sources(source: Path, target: Path) -> None:
    """Copy the files makemessages reads (.py, .html, .txt), nothing else.

    The copy holds no ``locale`` folder: makemessages writes into every
    ``locale`` folder it finds while walking the tree, so running it on the
    repository itself would change the committed catalogue.
    """
    skip_dirs = {*MAKEMESSAGES_IGNORE, "locale", "node_modules", "test-results", "__pycache__"}

    def ignore(directory: str, names: list[str]) -> set[str]:
        ignored = set()
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name in skip_dirs or name.startswith("."):
                    ignored.add(name)
            elif path.suffix not in {".py", ".html", ".txt"}:
                ignored.add(name)
        return ignored

    shutil.copytree(source, target, ignore=ignore, symlinks=True)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (apt-get install gettext)")
def test_the_catalogue_holds_every_dutch_string_in_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    committed_before = _digest(CATALOGUE)
    tree = tmp_path / "source"
    _copy_translatable_sources(Path(settings.BASE_DIR), tree)
    locale = tree / "locale"
    locale.mkdir()

    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=MAKEMESSAGES_IGNORE,
            no_obsolete=True,
            verbosity=0,
        )

    fresh_path = locale / "en" / "LC_MESSAGES" / "django.po"
    assert fresh_path.exists(), "makemessages wrote no catalogue into the temporary copy"
    assert _digest(CATALOGUE) == committed_before, "makemessages changed the repository's catalogue"

    fresh = _messages(parse_po(fresh_path))
    assert fresh, "makemessages found no Dutch strings; is the source copy complete?"
    committed = {entry.key for entry in _messages(parse_po(CATALOGUE))}
    missing = [entry.label() for entry in fresh if entry.key not in committed]
    assert not missing, f"New or changed Dutch strings are not in the English catalogue: {missing}. {FIX}"


@pytest.fixture
def compiled_catalogue(tmp_path: Path) -> Path:
    """The committed .po compiled into a temporary locale folder, so the test
    reads the catalogue as committed, not a stale or missing .mo file."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed (apt-get install gettext)")
    folder = tmp_path / "locale"
    target = folder / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(  # noqa: S603 - fixed argv, files of our own
        [msgfmt, "--check-format", "-o", str(target / "django.mo"), str(CATALOGUE)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return folder


def _english(msgid: str) -> str:
    for entry in _messages(parse_po(CATALOGUE)):
        if entry.msgid == msgid and entry.msgctxt is None:
            return entry.msgstr[0]
    raise AssertionError(f"{msgid!r} is not in the catalogue. {FIX}")


def test_the_sign_in_page_is_english_after_choosing_english(compiled_catalogue: Path) -> None:
    title = _english("Inloggen bij Samenspraak")
    assert title and title != "Inloggen bij Samenspraak"

    with override_settings(LOCALE_PATHS=[str(compiled_catalogue)]):
        client = Client()
        switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        assert switched.status_code == 302
        assert switched.headers["Location"] == "/accounts/login/"

        response = client.get("/accounts/login/")

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<html lang="en"[\s>]', page), 'the page does not declare lang="en"'
    assert title in page
    assert "Inloggen bij Samenspraak" not in page
    assert _english("Gebruikersnaam of e-mailadres") in page
