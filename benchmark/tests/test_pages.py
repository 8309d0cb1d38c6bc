"""The benchmark pages and exports, as each role sees them: own
organisation named, others by letter unless they opted in; a researcher
sees only the group; bad input gets a Dutch message; nothing per resident."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from benchmark.models import BenchmarkNaming
from benchmark.quarters import Quarter
from benchmark.services import benchmark_compute, benchmark_naming_set
from benchmark.tests.builders import AFTER_QUARTER, personas_published
from conftest import Personas, client_for
from organisations.demo import demo_organisation_create

pytestmark = pytest.mark.django_db
Q2 = Quarter(2026, 2)


def test_the_admin_sees_their_own_organisation_by_name_and_the_others_by_letter(personas: Personas) -> None:
    personas_published(personas)

    response = client_for(personas.admin).get("/benchmark/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Welzijn Rivierstad (uw organisatie)" in content
    assert "Welzijn Elders" not in content
    assert "Welzijn Derde" not in content
    assert "Organisatie " in content
    assert "<svg" in content and 'role="img"' in content
    assert "Ervaring per kanaal: contact was goed of heel goed" in content


def test_an_organisation_that_opts_in_is_named_to_the_others(personas: Personas) -> None:
    personas_published(personas)
    benchmark_naming_set(organisation=personas.foreign_organisation, is_named=True, changed_by=personas.foreign_admin)

    content = client_for(personas.team_lead).get("/benchmark/").content.decode()

    assert "Welzijn Elders" in content
    assert "Welzijn Derde" not in content


def test_the_researcher_sees_the_group_without_an_own_organisation(personas: Personas) -> None:
    personas_published(personas)

    response = client_for(personas.researcher).get("/benchmark/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "uw organisatie" not in content
    assert "Welzijn Rivierstad</th>" not in content  # (the layout names the researcher's own organisation)
    assert "mediaan" in content


def test_asking_for_another_organisations_detail_gives_only_the_anonymous_group(personas: Personas) -> None:
    personas_published(personas)

    response = client_for(personas.admin).get(
        "/benchmark/", {"organisatie": str(personas.foreign_organisation.pk), "kwartaal": "2026Q2"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Welzijn Elders" not in content
    assert "Welzijn Rivierstad (uw organisatie)" in content


@pytest.mark.parametrize(
    ("quarter", "message"),
    [("2026Q9", "Onbekend kwartaal"), ("gisteren", "Onbekend kwartaal"), ("2025Q1", "nog geen benchmark gepubliceerd")],
)
def test_an_unknown_quarter_gets_a_dutch_message(personas: Personas, quarter: str, message: str) -> None:
    personas_published(personas)

    page = client_for(personas.admin).get("/benchmark/", {"kwartaal": quarter})
    export = client_for(personas.admin).get("/benchmark/export.csv", {"kwartaal": quarter})

    assert page.status_code == 404
    assert message in page.content.decode()
    assert export.status_code == 404
    assert message in export.content.decode()


def test_without_a_published_quarter_the_page_says_so(personas: Personas) -> None:
    response = client_for(personas.researcher).get("/benchmark/")

    assert response.status_code == 200
    assert "nog geen benchmark gepubliceerd" in response.content.decode()


def test_with_too_few_residents_the_page_says_everything_is_suppressed(personas: Personas) -> None:
    personas_published(personas, size=3)

    content = client_for(personas.admin).get("/benchmark/").content.decode()

    assert "Alle cijfers van dit kwartaal zijn afgeschermd" in content


def test_the_csv_export_is_formula_safe_and_names_no_other_organisation(personas: Personas) -> None:
    personas_published(personas)
    # An organisation's chosen name is text, never a formula in a spreadsheet.
    personas.foreign_organisation.name = "=HYPERLINK(1)"
    personas.foreign_organisation.save(update_fields=["name"])
    benchmark_naming_set(organisation=personas.foreign_organisation, is_named=True, changed_by=personas.foreign_admin)

    response = client_for(personas.admin).get("/benchmark/export.csv", {"kwartaal": "2026Q2"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="benchmark-2026Q2.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:3] == ["kwartaal", "cijfer", "omschrijving"]
    names = {row[4] for row in rows[1:]}
    assert "Welzijn Rivierstad (uw organisatie)" in names
    assert "'=HYPERLINK(1)" in names
    assert "Welzijn Derde" not in names
    own = [row for row in rows[1:] if row[1] == "residents_supported" and row[5] == "ja"]
    assert len(own) == 1


def test_the_xlsx_export_opens_with_the_same_cells(personas: Personas) -> None:
    personas_published(personas)

    response = client_for(personas.researcher).get("/benchmark/export.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "kwartaal"
    assert {row[0] for row in rows[1:]} == {"2026Q2"}
    assert all(row[5] == "nee" for row in rows[1:])  # a researcher has no own organisation
    supported = [row for row in rows[1:] if row[1] == "residents_supported"]
    assert len(supported) == 3
    assert all(isinstance(row[6], int | float) for row in supported)


def test_the_json_export_follows_the_documented_fields(personas: Personas) -> None:
    personas_published(personas)

    response = client_for(personas.team_lead).get("/benchmark/export.json")

    data = json.loads(response.content)
    assert data["quarter"] == "2026Q2"
    assert data["is_final"] is True
    assert data["rules"] == {
        "minimum_residents_per_cell": 10,
        "minimum_organisations_for_group_figures": 3,
        "noise_cap": 40,
    }
    figure = next(f for f in data["figures"] if f["metric"] == "residents_supported")
    assert set(figure) == {"metric", "label", "dimension", "dimension_label", "kind", "unit", "group", "organisations"}
    assert set(figure["group"]) == {"organisations", "lower_quartile", "median", "upper_quartile"}
    assert figure["group"]["organisations"] == 3
    assert {"name", "is_own", "value", "suppressed"} == set(figure["organisations"][0])
    # Online use by age group is computed now (from the optional birth year).
    assert data["not_yet_available"] == {}
    assert any(f["metric"] == "online_use_by_age_group" and f["dimension"] == "age_all" for f in data["figures"])


def test_the_dashboard_costs_the_same_queries_for_more_organisations(personas: Personas) -> None:
    personas_published(personas)
    client = client_for(personas.admin)
    client.get("/benchmark/")
    with CaptureQueriesContext(connection) as few:
        client.get("/benchmark/")
    for slug in ("vierde", "vijfde"):
        demo_organisation_create(slug=slug, name=f"Welzijn {slug}", resident_count=0)
    # The group of a later quarter is larger; the page reads the same tables.
    benchmark_compute(quarter=Quarter(2026, 1), now=AFTER_QUARTER)
    with CaptureQueriesContext(connection) as many:
        client.get("/benchmark/", {"kwartaal": "2026Q1"})
    assert len(few) == len(many)


def test_the_admin_chooses_to_be_named(personas: Personas) -> None:
    client = client_for(personas.admin)

    assert client.get("/beheer/benchmark/").status_code == 200
    response = client.post("/beheer/benchmark/", {"is_named": "on"})

    assert response.status_code == 302
    assert BenchmarkNaming.objects.get(organisation=personas.organisation).is_named


def test_a_social_worker_and_a_resident_are_refused_the_benchmark(personas: Personas) -> None:
    for user in (personas.worker, personas.resident, personas.privacy_officer):
        assert client_for(user).get("/benchmark/").status_code == 403
        assert client_for(user).get("/benchmark/export.json").status_code == 403
