"""publiccode.yml describes the software for public catalogues; these checks
keep it within the standard (version 0.4) and in step with the project."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
PUBLICCODE = REPOSITORY / "publiccode.yml"
REQUIRED_TOP_LEVEL = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
]
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
# The standard's controlled vocabulary, the tags used here among it.
CATEGORIES = {
    "appointment-scheduling",
    "customer-service-and-support",
    "document-management",
    "instant-messaging",
    "online-booking",
    "video-conferencing",
}


@pytest.fixture(scope="module")
def publiccode() -> dict[str, Any]:
    data = yaml.safe_load(PUBLICCODE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_required_key_is_there(publiccode: dict[str, Any]) -> None:
    assert [key for key in REQUIRED_TOP_LEVEL if key not in publiccode] == []
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["name"] == "Samenspraak"
    assert publiccode["url"].startswith("https://")


def test_values_come_from_the_standards_lists(publiccode: dict[str, Any]) -> None:
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] == "standalone/web"
    assert publiccode["platforms"] == ["web"]
    assert set(publiccode["categories"]) <= CATEGORIES


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_description_is_complete_and_within_the_limits(publiccode: dict[str, Any], language: str) -> None:
    description = publiccode["description"][language]

    assert 0 < len(description["shortDescription"]) <= 150
    assert 150 <= len(description["longDescription"]) <= 10_000
    assert len(description["features"]) >= 1
    assert all(len(feature) <= 100 for feature in description["features"])


def test_languages_match_the_translations_we_ship(publiccode: dict[str, Any]) -> None:
    assert publiccode["localisation"]["localisationReady"] is True
    assert publiccode["localisation"]["availableLanguages"] == ["nl", "en"]


def test_licence_matches_the_licence_file_and_the_package(publiccode: dict[str, Any]) -> None:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]

    assert publiccode["legal"]["license"] == "EUPL-1.2"
    assert project["license"] == "EUPL-1.2"
    assert (REPOSITORY / "LICENSE").read_text(encoding="utf-8").startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")


def test_version_and_date_are_well_formed(publiccode: dict[str, Any]) -> None:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]

    assert publiccode["softwareVersion"] == project["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", publiccode["releaseDate"])


def test_maintenance_names_who_to_contact(publiccode: dict[str, Any]) -> None:
    maintenance = publiccode["maintenance"]

    assert maintenance["type"] in {"internal", "contract", "community", "none"}
    assert maintenance["contacts"] and all(contact["name"] for contact in maintenance["contacts"])


def test_optional_dependencies_are_marked_optional(publiccode: dict[str, Any]) -> None:
    dependencies = {item["name"]: item for item in publiccode["dependsOn"]["open"]}

    assert dependencies["Python"]["versionMin"] == "3.12"
    assert dependencies["PostgreSQL"]["optional"] is True
    assert dependencies["Redis"]["optional"] is True
