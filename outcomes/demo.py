"""Measurements for the demo resident, for ``make run``: a ZRM at intake
(two months ago, shared with the resident) and at review (last week), and
the resident's own self-assessment at intake with one face-to-face tick."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from outcomes.selectors import instrument_versions_current
from outcomes.services import ScoreInput, measurement_record, measurement_share, measurement_sign_off

ZRM_INTAKE = [1, 3, 2, 3, 3, 2, 3, 4, 5, 3, 2, 2, 5]
ZRM_REVIEW = [3, 3, 3, 3, 3, 3, 3, 4, 5, 4, 3, 3, 5]
SELF_INTAKE = [1, 2, 2, 4, 3, 2, 3, None, 5, 3, 2, 2, None]


def demo_outcomes_create(*, resident: User, worker: User) -> None:
    versions = {v.instrument.code: v for v in instrument_versions_current(organisation_id=resident.organisation_id)}
    zrm, own = versions["zrm-2017"], versions["zelfinschatting"]
    today = timezone.localdate()
    for values, moment, days_ago, is_shared in (
        (ZRM_INTAKE, "intake", 60, True),
        (ZRM_REVIEW, "review", 7, False),
    ):
        items = list(zrm.items.all())
        measurement = measurement_record(
            resident=resident,
            version=zrm,
            moment=moment,
            measured_on=today - timedelta(days=days_ago),
            scored_by=worker,
            scores={item.pk: ScoreInput(value) for item, value in zip(items, values, strict=True)},
        )
        measurement = measurement_sign_off(measurement=measurement, signed_off_by=worker)
        if is_shared:
            measurement_share(measurement=measurement, shared_by=worker, is_shared=True)
    items = list(own.items.all())
    measurement_record(
        resident=resident,
        version=own,
        moment="intake",
        measured_on=today - timedelta(days=58),
        scored_by=resident,
        scores={
            item.pk: ScoreInput(value, face_to_face_preferred=item.domain == "huiselijke_relaties")
            for item, value in zip(items, SELF_INTAKE, strict=True)
        },
    )
