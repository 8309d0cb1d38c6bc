"""Lists of people sort the Dutch way ("Jan de Vries" under V), in the
database, so the order holds across pages."""

from __future__ import annotations

import importlib

from django.apps import apps

from accounts.models import Role, User
from conftest import Personas, client_for
from organisations.models import CaseloadAssignment

NAMES = [("Kees", "Zwart"), ("Jan", "de Vries"), ("Piet", "Bakker"), ("Anna", "van der Berg"), ("Fatima", "el Amrani")]
EXPECTED = ["el Amrani", "Bakker", "van der Berg", "de Vries", "Zwart"]


def _create(personas: Personas, role: str) -> list[User]:
    return [
        User.objects.create(
            username=f"order-{index}",
            first_name=first,
            last_name=last,
            role=role,
            organisation=personas.organisation,
            is_active=True,
        )
        for index, (first, last) in enumerate(NAMES)
    ]


def _order_in(content: str, people: list[User]) -> list[str]:
    return [person.last_name for person in sorted(people, key=lambda p: content.index(str(p.public_id)))]


def test_saving_an_account_sets_its_sort_name(personas: Personas) -> None:
    [zwart, de_vries, *_rest] = _create(personas, Role.RESIDENT)

    assert (zwart.sort_name, de_vries.sort_name) == ("zwart", "vries")


def test_changing_only_the_last_name_also_changes_the_sort_name(personas: Personas) -> None:
    resident = _create(personas, Role.RESIDENT)[0]
    resident.last_name = "van Dijk"

    resident.save(update_fields=["last_name"])

    resident.refresh_from_db()
    assert resident.sort_name == "dijk"


def test_the_caseload_lists_residents_by_surname_without_prefix(personas: Personas) -> None:
    residents = _create(personas, Role.RESIDENT)
    CaseloadAssignment.objects.bulk_create(CaseloadAssignment(resident=r, worker=personas.worker) for r in residents)

    content = client_for(personas.worker).get("/werk/").content.decode()

    assert _order_in(content, residents) == EXPECTED


def test_the_admin_lists_staff_by_surname_without_prefix(personas: Personas) -> None:
    workers = _create(personas, Role.SOCIAL_WORKER)

    content = client_for(personas.admin).get("/beheer/gebruikers/").content.decode()

    assert _order_in(content, workers) == EXPECTED


def test_the_data_migration_fills_the_sort_name_of_existing_accounts(personas: Personas) -> None:
    residents = _create(personas, Role.RESIDENT)
    User.objects.filter(pk__in=[r.pk for r in residents]).update(sort_name="")
    migration = importlib.import_module("accounts.migrations.0007_fill_user_sort_name")

    migration.fill_sort_name(apps, None)

    assert list(User.objects.filter(pk__in=[r.pk for r in residents]).values_list("last_name", flat=True)) == EXPECTED
