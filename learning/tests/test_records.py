"""Learning is the resident's own work: module runs (with the answers) and
training participations are in their data export, and the retention
engine destroys an old run with its answers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from conftest import Personas
from exports.services import export_download
from exports.tests.test_exports import _ready_export
from learning.models import Answer, ModuleRun
from learning.services import (
    ChoiceData,
    StepData,
    module_create,
    module_publish,
    module_run_start,
    step_add,
    step_save,
)
from privacy.models import DestructionRecord
from privacy.retention import retention_purge


def _answered_run(personas: Personas, resident: Any) -> ModuleRun:
    module = module_create(organisation=personas.organisation, created_by=personas.admin, title="Nee zeggen")
    version = module.versions.get()
    step_add(
        version=version,
        added_by=personas.admin,
        data=StepData(
            "question",
            "Wat zegt u?",
            "Iemand vraagt u iets wat u niet wilt.",
            choices=[ChoiceData("Nee, dat wil ik niet.", "Goed zo!", True), ChoiceData("Misschien", "Bijna!")],
        ),
    )
    module_publish(version=version, published_by=personas.admin)
    module.refresh_from_db()
    run = module_run_start(module=module, resident=resident)
    step = version.steps.get()
    return step_save(
        run=run, step_public_id=str(step.public_id), saved_by=resident, choice_id=step.choices.get(is_correct=True).pk
    )


def test_the_export_holds_the_runs_with_their_answers_and_the_trainings(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from learning.tests.test_trainings import _training
    from learning.trainings import training_sign_up

    _answered_run(personas, personas.resident)
    training_sign_up(training=_training(personas, sessions=0), resident=personas.resident)

    export = _ready_export(personas.resident, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(export_download(export=export, user=personas.resident)))
    data = json.loads(archive.read("gegevens.json"))

    [run] = data["leren"]
    assert run["module"] == "Nee zeggen"
    assert run["stappen_gedaan"] == 1
    assert run["antwoorden"] == "Wat zegt u?: Nee, dat wil ik niet."
    [participation] = data["trainingen"]
    assert participation["training"] == "Assertiviteit: voor jezelf opkomen"


def test_the_purge_destroys_an_old_run_with_its_answers(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    old = _answered_run(personas, personas.resident)

    with time_machine.travel(timezone.now() + timedelta(days=2 * 366 + 1), tick=False):
        recent = _answered_run(personas, personas.other_resident)
        with django_capture_on_commit_callbacks(execute=True):
            retention_purge(organisation_ids=[personas.organisation.pk], codes=["learning_runs"])

    assert not ModuleRun.objects.filter(pk=old.pk).exists()
    assert not Answer.objects.filter(run_id=old.pk).exists()
    assert ModuleRun.objects.filter(pk=recent.pk).exists()
    assert DestructionRecord.objects.filter(object_id=str(old.public_id)).count() == 1
