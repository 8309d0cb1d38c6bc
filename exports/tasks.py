"""Building an export in the background (in-process without ``REDIS_URL``,
else on the Redis queue's worker, ``manage.py run_tasks``)."""

from __future__ import annotations

from django.tasks import task

from exports.building import export_build


@task
def export_build_task(*, export_id: int) -> None:
    export_build(export_id=export_id)
