"""The privacy officer reads what kind of data an entry is about in words,
while the stored codes (part of the hash chain) stay as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps

from audit.labels import known_object_types, object_type_label, register_object_type_label
from audit.services import Access, access_log_record
from audit.tests.test_privacy_officer_log import CSV_HEADER, EXPORT_URL, LOG_URL, csv_rows
from conftest import Personas, client_for

REPOSITORY = Path(__file__).resolve().parents[2]
# Literal object types in the source: object_type="…" and Access(x, "…", …).
LITERAL_TYPES = [
    re.compile(r'object_type\s*=\s*"([a-z_]+)"'),
    re.compile(r'Access\(\s*[\w.]+\s*,\s*"([a-z_]+)"'),
    re.compile(r'OBJECT_TYPE\s*=\s*"([a-z_]+)"'),
]


def _object_types_in_source() -> set[str]:
    found: set[str] = set()
    our_apps = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(REPOSITORY)]
    for app_path in our_apps:
        for path in app_path.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text()
            for pattern in LITERAL_TYPES:
                found.update(pattern.findall(text))
    return found


def test_every_object_type_the_code_logs_has_a_readable_name() -> None:
    found = _object_types_in_source()

    assert {"trusted_person_grant", "casefile", "home", "appointment"} <= found  # the scan works
    assert found - known_object_types() == set()


def test_the_case_file_item_types_have_readable_names() -> None:
    # casefiles.access logs ``model.__name__.lower()``; the scan above cannot see those.
    for code in ["supportquestion", "goal", "goalaction", "agreement", "note", "document", "correctionrequest"]:
        assert object_type_label(code) != code


def test_known_codes_get_dutch_names() -> None:
    assert object_type_label("trusted_person_grant") == "Machtiging vertrouwenspersoon"
    assert object_type_label("casefile") == "Dossier"
    assert object_type_label("home") == "Startpagina"


def test_a_code_with_a_part_names_the_object_and_the_part() -> None:
    assert object_type_label("note.visibility") == "Notitie (zichtbaarheid)"
    assert object_type_label("goal.comment") == "Doel (reactie van de inwoner)"


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert object_type_label("something_new") == "something_new"
    assert object_type_label("note.unknown_part") == "note.unknown_part"


def test_an_app_can_register_a_name_for_a_new_type() -> None:
    register_object_type_label("test_only_type", "Testgegevens")

    assert object_type_label("test_only_type") == "Testgegevens"


def _log_grant_read(personas: Personas) -> None:
    access_log_record(
        actor=personas.resident,
        accesses=[Access(personas.resident, "trusted_person_grant", str(personas.resident.public_id), "view")],
    )


@pytest.mark.django_db
def test_the_officer_sees_the_readable_name_with_the_code_beside_it(personas: Personas) -> None:
    _log_grant_read(personas)

    page = client_for(personas.privacy_officer).get(LOG_URL).content.decode()

    assert "Machtiging vertrouwenspersoon<br><small><code>trusted_person_grant</code></small>" in page


@pytest.mark.django_db
def test_the_export_keeps_the_codes_and_adds_the_names(personas: Personas) -> None:
    _log_grant_read(personas)

    rows = csv_rows(client_for(personas.privacy_officer).get(EXPORT_URL))

    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert (row["soort_gegevens"], row["handeling"]) == ("trusted_person_grant", "view")
    assert (row["soort_gegevens_naam"], row["handeling_naam"]) == ("Machtiging vertrouwenspersoon", "bekeken")
