"""The README is all that someone who clones the repository needs: it links
only to files inside the repository, and those files exist."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
ADOPTION_DOCUMENTS = [
    "LICENSE",
    "publiccode.yml",
    "SECURITY.md",
    "CHANGELOG.md",
    "docs/overview.md",
    "docs/beheerhandleiding.md",
]


def test_readme_points_nowhere_outside_the_repository() -> None:
    assert "../" not in README
    assert "/work/" not in README
    assert not re.search(r"\b(PRODUCT|STYLE|TOOLCHAIN)\.md\b", README)


def test_every_relative_link_in_the_readme_exists() -> None:
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    relative = [target for target in targets if "://" not in target]

    assert relative
    assert [target for target in relative if not (REPOSITORY / target).exists()] == []


def test_readme_links_the_documents_for_adopters() -> None:
    assert [document for document in ADOPTION_DOCUMENTS if f"]({document})" not in README] == []


def test_readme_names_the_public_address_of_the_consultation_hour() -> None:
    assert "`/spreekuur/`" in README


def test_the_documents_for_adopters_link_only_inside_the_repository() -> None:
    for document in ["SECURITY.md", "docs/overview.md", "docs/beheerhandleiding.md", "CHANGELOG.md"]:
        text = (REPOSITORY / document).read_text(encoding="utf-8")
        base = (REPOSITORY / document).parent
        assert "/work/" not in text, document
        for target in re.findall(r"\]\(([^)#]+)\)", text):
            if "://" not in target:
                assert (base / target).exists(), f"{document} links to missing {target}"
