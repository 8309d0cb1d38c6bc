"""allauth's pages in plain Dutch: language level B1, and "u", never "je".

Sign-in, the second step, re-authentication, passwords and sessions come from
django-allauth, whose own Dutch catalogue says "je" and uses jargon
("twee-factor-authenticatie", "authenticator-app"). ``locale/nl/LC_MESSAGES/
django.po`` overrides those texts: ``LOCALE_PATHS`` wins over the catalogues
of installed apps. That file holds only allauth msgids, copied exactly from
allauth's own nl catalogue; never run ``makemessages -l nl`` on it.

The .mo file is not committed (``make`` compiles it). This module compiles it
when it is missing or older than the .po, so that ``pytest`` alone works.

The .po file is parsed here by hand: polib is not a dependency.
"""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import time
from pathlib import Path

import allauth
import pytest
from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.signals import language_changed

from accounts.models import Role, User
from conftest import Personas
from organisations.demo import DEMO_PASSWORD, demo_totp_code
from tests.po import Entry
from tests.po import parse_po as parse_all

LOGIN_URL = "/accounts/login/"
SECOND_STEP_URL = "/accounts/2fa/authenticate/"
TOTP_SETUP_URL = "/accounts/2fa/totp/activate/"

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUE = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
ALLAUTH_CATALOGUE = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"

# Informal address, as whole words: "je" but not "blokje" or "jezus".
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


# --- The compiled catalogue ----------------------------------------------------------


def _compile_dutch_catalogue() -> str | None:
    """Compile locale/nl when its .mo is missing or stale. Returns why that
    was impossible, or None when the .mo is up to date."""
    if COMPILED.exists() and COMPILED.stat().st_mtime >= CATALOGUE.stat().st_mtime:
        return None
    if shutil.which("msgfmt") is None:
        return "msgfmt is not installed (apt-get install gettext), so locale/nl cannot be compiled"
    # compilemessages walks the working directory: run it from the project,
    # for Dutch only (locale/en belongs to someone else's work).
    with contextlib.chdir(settings.BASE_DIR):
        call_command("compilemessages", locale=["nl"], ignore_patterns=[".venv"], verbosity=0)
    # Django keeps loaded catalogues per process; forget any read before the
    # .mo existed, as Django does when a test changes LOCALE_PATHS.
    language_changed(setting="LOCALE_PATHS")
    return None


# At import, so during collection: every test of the run sees the same texts.
NOT_COMPILED = _compile_dutch_catalogue()


@pytest.fixture
def dutch_catalogue() -> None:
    if NOT_COMPILED:
        pytest.skip(NOT_COMPILED)


# --- Reading a .po file ----------------------------------------------------------------


def parse_po(path: Path) -> list[Entry]:
    """The messages of a PO file: no header, no obsolete (#~) entries."""
    return [entry for entry in parse_all(path) if entry.msgid and not entry.obsolete]


def current_totp_code() -> str:
    """The demo code, never taken in the last second of its period: allauth
    accepts only the code of the current period."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 1.5:
        time.sleep(remaining + 0.1)
    return demo_totp_code()


def visible_text(page: str) -> str:
    """What a person reads: no scripts, styles or tags, entities decoded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


# --- The catalogue itself ------------------------------------------------------------------


def test_every_override_is_translated_and_says_u() -> None:
    entries = parse_po(CATALOGUE)
    assert entries, f"{CATALOGUE} holds no messages"

    empty, informal = [], []
    for entry in entries:
        slots = (0, 1) if entry.msgid_plural is not None else (0,)
        for slot in slots:
            text = entry.msgstr.get(slot, "")
            if not text.strip():
                empty.append(entry.label())
            elif INFORMAL.search(text):
                informal.append(f"{entry.label()} -> {text!r}")
    assert not empty, f"Overrides without Dutch text: {empty}"
    assert not informal, f"Overrides that say 'je' instead of 'u': {informal}"


def test_the_catalogue_header_declares_dutch_utf8_and_two_plural_forms() -> None:
    header = CATALOGUE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: nl\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    assert "#, fuzzy" not in header


def test_every_override_is_an_allauth_message_spelled_exactly() -> None:
    """A msgid that differs by one space overrides nothing: it must be
    allauth's own, with the same context and plural."""
    allauth_keys = {entry.key for entry in parse_po(ALLAUTH_CATALOGUE)}
    unknown = [entry.label() for entry in parse_po(CATALOGUE) if entry.key not in allauth_keys]
    assert not unknown, f"Not (or not exactly) a msgid of allauth {allauth.__version__}: {unknown}"


def test_allauth_texts_that_say_je_are_all_overridden() -> None:
    """A new allauth version may add or change texts that say "je"."""
    ours = {entry.key for entry in parse_po(CATALOGUE)}
    missing = [
        entry.label()
        for entry in parse_po(ALLAUTH_CATALOGUE)
        if entry.key not in ours and any(INFORMAL.search(text) for text in entry.msgstr.values())
    ]
    assert not missing, f"allauth texts with 'je' that locale/nl does not override yet: {missing}"


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{\w*\}|</?[a-zA-Z][^>]*>")


def test_overrides_keep_placeholders_and_markup() -> None:
    wrong = []
    for entry in parse_po(CATALOGUE):
        expected = set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr.values():
            if set(_PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{entry.label()} -> {text!r}")
    assert not wrong, f"Placeholders or tags differ from allauth's msgid: {wrong}"


# --- The pages ------------------------------------------------------------------------------


def test_a_wrong_password_gets_a_plain_dutch_message(personas: Personas, dutch_catalogue: None) -> None:
    assert personas.resident.username == "fatima"

    response = Client().post(LOGIN_URL, {"login": "fatima", "password": "niet het goede wachtwoord"})

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "De gebruikersnaam of het wachtwoord klopt niet." in text
    assert "Kijk of u alles goed hebt getypt en probeer het opnieuw." in text
    assert not INFORMAL.search(text), text


def test_staff_member_reaches_a_second_step_page_in_plain_dutch(personas: Personas, dutch_catalogue: None) -> None:
    assert personas.worker.username == "sanne"
    client = Client()

    password = client.post(LOGIN_URL, {"login": "sanne", "password": DEMO_PASSWORD})
    response = client.get(SECOND_STEP_URL)

    assert password.status_code == 302
    assert password["Location"] == SECOND_STEP_URL
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Tweede stap" in text
    assert "Open de code-app op uw telefoon" in text
    assert "Inloggen" in text
    assert "twee-factor" not in text.lower()
    assert "Aanmelden" not in text
    assert not INFORMAL.search(text), text
    assert "jouw" not in text.lower()


def test_after_the_code_the_staff_member_is_told_in_dutch_that_they_are_signed_in(
    personas: Personas, dutch_catalogue: None
) -> None:
    client = Client()
    client.post(LOGIN_URL, {"login": personas.worker.username, "password": DEMO_PASSWORD})

    response = client.post(SECOND_STEP_URL, {"code": current_totp_code()}, follow=True)

    assert response.status_code == 200
    assert f"U bent ingelogd als {personas.worker.first_name}." in visible_text(response.content.decode())


def test_new_staff_member_gets_the_code_app_explained(personas: Personas, dutch_catalogue: None) -> None:
    User.objects.create_user(
        username="nieuwe.collega",
        password=DEMO_PASSWORD,
        first_name="Nina",
        last_name="Nieuw",
        role=Role.SOCIAL_WORKER,
        organisation=personas.organisation,
    )
    client = Client()
    client.post(LOGIN_URL, {"login": "nieuwe.collega", "password": DEMO_PASSWORD})

    setup = client.get(TOTP_SETUP_URL)
    confirm_page = client.get(setup["Location"])
    client.post(setup["Location"], {"password": DEMO_PASSWORD})
    response = client.get(TOTP_SETUP_URL)

    confirm_text = visible_text(confirm_page.content.decode())
    assert "Bevestig dat u het bent" in confirm_text
    assert not INFORMAL.search(confirm_text), confirm_text
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Code-app instellen" in text
    assert "Dat is een app op uw telefoon die steeds een nieuwe code van 6 cijfers maakt." in text
    assert "authenticator-app" not in text.lower()
    assert not INFORMAL.search(text), text


@pytest.mark.parametrize(
    "path",
    ["/accounts/sessions/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/2fa/webauthn/"],
)
def test_signed_in_account_pages_say_u(path: str, personas: Personas, dutch_catalogue: None) -> None:
    client = Client()
    client.post(LOGIN_URL, {"login": personas.worker.username, "password": DEMO_PASSWORD})
    client.post(SECOND_STEP_URL, {"code": current_totp_code()})

    response = client.get(path)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert not INFORMAL.search(text), text
    assert "Sessies" not in text
    assert "Twee-factor" not in text


def test_sessions_page_offers_to_sign_out_elsewhere_in_plain_words(personas: Personas, dutch_catalogue: None) -> None:
    first, second = Client(), Client()
    for client in (first, second):
        client.post(LOGIN_URL, {"login": personas.resident.username, "password": DEMO_PASSWORD})

    text = visible_text(first.get("/accounts/sessions/").content.decode())
    signed_out = first.post("/accounts/sessions/", follow=True)

    assert "Ingelogde apparaten" in text
    assert "Dit apparaat" in text
    assert "Op alle andere apparaten uitloggen" in text
    assert "U bent op alle andere apparaten uitgelogd." in visible_text(signed_out.content.decode())
