"""Shared fixtures: the personas every test speaks of, built once per test
from the same demo-data code that ``make run`` uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.test import Client

from accounts.models import User
from organisations.demo import DemoOrganisation, demo_organisation_create, platform_admin_create
from organisations.models import Organisation


@dataclass
class Personas:
    """Two organisations' worth of people.

    - ``resident`` (Fatima) is on ``worker``'s caseload (Sanne, Team Centrum)
      and has granted ``trusted_person`` the "appointments" scope;
    - ``other_resident`` is on ``other_worker``'s caseload (Ruben, Team Centrum);
    - ``team_lead`` (Noor, Team Noord) leads ``team_worker`` (Peter), whose
      caseload holds ``team_resident``;
    - ``foreign_*`` belong to a second organisation.
    """

    organisation: Organisation
    demo: DemoOrganisation
    resident: User
    other_resident: User
    team_resident: User
    trusted_person: User
    worker: User
    other_worker: User
    team_lead: User
    team_worker: User
    admin: User
    privacy_officer: User
    researcher: User
    platform_admin: User
    foreign_organisation: Organisation
    foreign_worker: User
    foreign_resident: User
    foreign_admin: User

    def by_role(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "resident": self.resident,
            "trusted_person": self.trusted_person,
            "social_worker": self.worker,
            "team_lead": self.team_lead,
            "organisation_admin": self.admin,
            "privacy_officer": self.privacy_officer,
            "researcher": self.researcher,
            "platform_admin": self.platform_admin,
            "foreign_worker": self.foreign_worker,
            "foreign_admin": self.foreign_admin,
        }


def build_personas() -> Personas:
    demo = demo_organisation_create(resident_count=4)
    foreign = demo_organisation_create(slug="elders", name="Welzijn Elders", resident_count=1)
    # demo_organisation_create spreads residents over the workers in order:
    # 0 → Sanne, 1 → Ruben, 2 → Noor (team lead), 3 → Peter (Noor's team).
    return Personas(
        organisation=demo.organisation,
        demo=demo,
        resident=demo.residents[0],
        other_resident=demo.residents[1],
        team_resident=demo.residents[3],
        trusted_person=demo.trusted_person,
        worker=demo.workers[0],
        other_worker=demo.workers[1],
        team_lead=demo.workers[2],
        team_worker=demo.workers[3],
        admin=demo.admin,
        privacy_officer=demo.privacy_officer,
        researcher=demo.researcher,
        platform_admin=platform_admin_create(),
        foreign_organisation=foreign.organisation,
        foreign_worker=foreign.workers[0],
        foreign_resident=foreign.residents[0],
        foreign_admin=foreign.admin,
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop
    running, after which pytest-asyncio tests cannot start their own."""
    items.sort(key=lambda item: 1 if item.get_closest_marker("browser") else 0)


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # Rate limits and MFA code reuse live in the cache; tests start clean.
    # Without Redis the cache is a table in the test database, emptied with
    # the other tables (and out of reach of tests without database access).
    if isinstance(caches["default"], DatabaseCache):
        yield
        return
    cache.clear()
    yield
    cache.clear()


def run_queued_tasks() -> int:
    """Run tasks that wait in a queue (with REDIS_URL); in-process tasks
    already ran. Returns how many ran."""
    from django.tasks import task_backends

    from samenspraak.task_queue import RedisQueueBackend

    backend = task_backends["default"]
    if isinstance(backend, RedisQueueBackend):
        return backend.run_until_empty()
    return 0


def client_for(user: User | None) -> Client:
    """A client signed in as ``user`` with MFA already passed."""
    client = Client()
    if user is not None:
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


# With CI_STRICT_SKIPS=1 (set by .ci/run) a skip not on the allow-list of
# tests/strict_skips.py fails the run: on CI a test that did not run must be
# a known, conditional choice (gettext missing is not one).
# pytester runs that hook on small test files of its own (tests/test_strict_skips.py).
pytest_plugins = ["tests.strict_skips", "pytester"]


@dataclass
class MatrixPersonas(Personas):
    """``Personas`` plus the people the authorization matrix also asks:

    - ``own_team_lead`` leads Team Centrum, the team of ``worker`` (whose
      caseload holds ``resident``); ``team_lead`` leads the other team;
    - ``other_worker`` (a colleague in the same team, no caseload link to
      ``resident``) and ``other_resident`` answer as colleague and neighbour;
    - the second organisation's people carry names of their own, so a name
      of the first organisation on their pages can only be a leak.
    """

    own_team_lead: User

    def by_role(self) -> dict[str, User | None]:
        return {
            **super().by_role(),
            "other_resident": self.other_resident,
            "colleague": self.other_worker,
            "own_team_lead": self.own_team_lead,
            "foreign_resident": self.foreign_resident,
        }


@pytest.fixture
def matrix_personas(db: None) -> MatrixPersonas:
    from accounts.models import Role
    from organisations.demo import _user

    base = build_personas()
    own_team_lead = _user(
        username="lieke",
        first="Lieke",
        last="Leidinga",
        role=Role.TEAM_LEAD,
        organisation=base.organisation,
        team=base.worker.team,
        email="lieke@demo.samenspraak.invalid",
    )
    # demo_organisation_create gives every organisation the same resident
    # names; the second organisation's people are renamed here only.
    for number, user in enumerate(User.objects.filter(organisation=base.foreign_organisation)):
        User.objects.filter(pk=user.pk).update(first_name=f"Elders{number}", last_name="Buitenland")
    base.foreign_resident.refresh_from_db()
    base.foreign_worker.refresh_from_db()
    base.foreign_admin.refresh_from_db()
    return MatrixPersonas(**vars(base), own_team_lead=own_team_lead)
