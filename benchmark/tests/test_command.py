from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from benchmark.models import BenchmarkPeriod
from benchmark.quarters import Quarter
from conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_command_publishes_the_last_quarter_once_and_the_running_one_again(personas: Personas) -> None:
    out = io.StringIO()

    call_command("compute_benchmark", stdout=out)
    call_command("compute_benchmark", stdout=out)

    running = Quarter.containing(timezone.localdate())
    assert BenchmarkPeriod.objects.get(quarter=str(running.previous)).is_final
    assert not BenchmarkPeriod.objects.get(quarter=str(running)).is_final
    assert BenchmarkPeriod.objects.count() == 2


def test_the_command_refuses_an_unknown_quarter_in_dutch(personas: Personas) -> None:
    with pytest.raises(CommandError, match="Onbekend kwartaal"):
        call_command("compute_benchmark", "--quarter", "2026Q5")
