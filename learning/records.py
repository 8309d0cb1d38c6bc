"""Learning as records: parts of the resident's data export and a record
class of the retention engine (registered in ``LearningConfig.ready``).

A module run (with its answers) is the resident's own work: the export
holds every run with how far they came and what they answered; a
training's participation holds when they signed up and left. For
retention one run with its answers is one unit, counted from its last
change.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from exports.services import ExportPart, export_part_register, plain
from learning.models import Answer, ModuleRun, TrainingParticipant
from samenspraak.retention import DueItem, RecordClass, record_class_register


def learning_part(resident: User) -> ExportPart:
    """One row per module run: the module, the place and the answers (two queries)."""
    answers: dict[int, list[str]] = {}
    for answer in (
        Answer.objects.filter(run__resident=resident)
        .select_related("step", "choice")
        .order_by("run_id", "step__position", "pk")
    ):
        answers.setdefault(answer.run_id, []).append(f"{answer.step.title}: {answer.choice.text}")
    runs = ModuleRun.objects.filter(resident=resident).select_related("version").order_by("started_at", "pk")
    return ExportPart(
        rows=[
            {
                "module": run.version.title,
                "versie": run.version.number,
                "stappen_gedaan": run.steps_done,
                "begonnen_op": plain(run.started_at),
                "afgerond_op": plain(run.finished_at) if run.finished_at else "",
                "antwoorden_gedeeld_met_werker": run.is_shared,
                "antwoorden": "; ".join(answers.get(run.pk, [])),
            }
            for run in runs
        ]
    )


def trainings_part(resident: User) -> ExportPart:
    """One row per participation in a training (one query)."""
    participations = (
        TrainingParticipant.objects.filter(resident=resident).select_related("training").order_by("signed_up_at")
    )
    return ExportPart(
        rows=[
            {
                "training": participation.training.title,
                "aangemeld_op": plain(participation.signed_up_at),
                "afgemeld_op": plain(participation.left_at) if participation.left_at else "",
            }
            for participation in participations
        ]
    )


def runs_due(*, organisation_id: int, before: datetime | None, resident_ids: list[int] | None = None) -> list[DueItem]:
    rows = ModuleRun.objects.filter(resident__organisation_id=organisation_id)
    if resident_ids is not None:
        rows = rows.filter(resident_id__in=resident_ids)
    if before is not None:
        rows = rows.filter(updated_at__lt=before)
    return [
        DueItem(object_id=str(row["public_id"]), resident_id=row["resident_id"], reference_at=row["updated_at"])
        for row in rows.order_by("pk").values("public_id", "resident_id", "updated_at")
    ]


def runs_destroy(*, organisation_id: int, object_ids: list[str]) -> list[str]:
    """Delete the runs ``object_ids`` with their answers (two statements)."""
    runs = ModuleRun.objects.filter(resident__organisation_id=organisation_id, public_id__in=object_ids)
    destroyed = [str(public_id) for public_id in runs.values_list("public_id", flat=True)]
    Answer.objects.filter(run__in=runs).delete()
    runs.delete()
    return destroyed


def register() -> None:
    export_part_register(
        "leren",
        learning_part,
        order=87,
        title=_("Uw e-learning: hoe ver u bent en uw antwoorden"),
        purpose=_("Zodat u op elk apparaat verder kunt waar u was, en uw werker kan zien hoe het gaat."),
    )
    export_part_register(
        "trainingen",
        trainings_part,
        order=88,
        title=_("Uw trainingen"),
        purpose=_("Om u aan te melden voor de bijeenkomsten en de groepschat van een training."),
    )
    record_class_register(
        RecordClass(
            code="learning_runs",
            label=_("E-learning: voortgang en antwoorden"),
            rule=_("na de laatste stap in de module"),
            order=36,
            unit="years",
            default=2,
            legal_minimum=0,
            legal_basis=_("Geen wettelijke termijn; niet langer dan nodig (AVG art. 5)"),
            items=runs_due,
            destroy=runs_destroy,
        )
    )
