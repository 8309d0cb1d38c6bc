"""The researcher sees aggregates only: the authorization matrix, read
here row by row, lets the researcher into no page but the benchmark's, the
public ones (consultation hour, health, logo) and those of their own
account. Every page about a resident answers 403 or 404 (or sends them to
sign in again)."""

from __future__ import annotations

from tests.test_authorization_matrix import EXPECTATIONS, LOGIN

REFUSED = {403, 404, 405, LOGIN}
# Pages that concern no resident: the public consultation-hour pages, the
# health check, the logo, the start page and the researcher's own account.
NO_RESIDENT = {
    "health",
    "home",
    "set_language",
    "accounts:activate",
    "organisations:logo",
    # The learning library's media (images, videos, captions): content, not residents.
    "learning:image",
    "learning:video",
    "learning:captions",
    "pages:display",
    "pages:security",
    "messaging:consultation_index",
    "messaging:next_steps",
    "messaging:visit_leave",
    "messaging:visit_start",
}
OWN_ACCOUNT_PREFIXES = ("account_", "mfa_", "usersessions_", "notifications:")


def _is_allowed_without_residents(name: str) -> bool:
    return name.startswith(("benchmark:", *OWN_ACCOUNT_PREFIXES)) or name in NO_RESIDENT


def test_the_researcher_is_refused_every_page_about_residents() -> None:
    let_in = {
        name
        for name, expect in EXPECTATIONS.items()
        for table, _done in expect.tables().values()
        if table["researcher"] not in REFUSED
    }

    assert {name for name in let_in if not _is_allowed_without_residents(name)} == set()


def test_the_researcher_reaches_every_benchmark_page() -> None:
    benchmark = {name: expect for name, expect in EXPECTATIONS.items() if name.startswith("benchmark:")}

    assert {name: expect.statuses["researcher"] for name, expect in benchmark.items()} == {
        "benchmark:dashboard": 200,
        "benchmark:export_csv": 200,
        "benchmark:export_xlsx": 200,
        "benchmark:export_json": 200,
        "benchmark:naming": 403,
    }


def test_every_page_that_takes_a_resident_or_their_object_refuses_the_researcher() -> None:
    from tests.test_authorization_matrix import url_patterns

    takes_object = {name for name, takes in url_patterns().items() if takes}
    # A pattern without a row fails the matrix's own completeness test.
    declared = takes_object & set(EXPECTATIONS)
    assert len(declared) > 50
    for name in sorted(declared - {n for n in declared if _is_allowed_without_residents(n)}):
        for table, _done in EXPECTATIONS[name].tables().values():
            assert table["researcher"] in REFUSED, name
