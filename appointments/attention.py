"""What appointments add to "what needs a person" (samenspraak/attention.py)
and to the caseload's counts (organisations/caseload.py).

For a worker: requests that wait for a proposal and appointments that wait
for their confirmation. For a resident: proposals that wait for theirs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.db.models.signals import post_save
from django.utils import timezone

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.models import Appointment, AppointmentRequest, AppointmentStatus
from organisations.caseload import CaseloadCounts, count_per_resident
from samenspraak.attention import AttentionCounter, attention_changed


def requests_waiting_count(user: User) -> int | None:
    """Open requests to ``user`` plus appointments waiting for their
    confirmation, for residents they may see now (two queries)."""
    if user.role not in CASEWORK_ROLES:
        return None
    from samenspraak.policy import residents_for_casework

    residents = residents_for_casework(user)
    requests = AppointmentRequest.objects.filter(
        worker=user, status=AppointmentRequest.Status.OPEN, resident__in=residents
    ).count()
    awaiting = Appointment.objects.filter(
        worker=user,
        status=AppointmentStatus.AWAITING_WORKER,
        ends_at__gt=timezone.now(),
        resident__in=residents,
    ).count()
    return requests + awaiting


def proposals_waiting_count(user: User) -> int | None:
    """Appointments the worker proposed that wait for the resident."""
    if user.role != Role.RESIDENT:
        return None
    return Appointment.objects.filter(
        resident=user, status=AppointmentStatus.AWAITING_RESIDENT, ends_at__gt=timezone.now()
    ).count()


REQUESTS_WAITING = AttentionCounter(
    name="requests_waiting", count=requests_waiting_count, url_name="pages:today", order=20
)
PROPOSALS_WAITING = AttentionCounter(
    name="proposals_waiting", count=proposals_waiting_count, url_name="appointments:mine", order=20
)


def caseload_counts_of_appointments(worker: User) -> dict[str, Any]:
    """Per resident: open requests and appointments waiting for a worker."""
    now = timezone.now()
    return {
        "open_requests": count_per_resident(
            AppointmentRequest.objects.filter(resident=OuterRef("pk"), status=AppointmentRequest.Status.OPEN),
            "resident",
        ),
        "awaiting_confirmation": count_per_resident(
            Appointment.objects.filter(
                resident=OuterRef("pk"), status=AppointmentStatus.AWAITING_WORKER, ends_at__gt=now
            ),
            "resident",
        ),
    }


CASELOAD_COUNTS = CaseloadCounts(name="appointments", order=40, annotations=caseload_counts_of_appointments)


def _tell(sender: Any, instance: Appointment | AppointmentRequest, **kwargs: Any) -> None:
    # Every change of an appointment or request changes someone's counts,
    # wherever it is saved (booking, proposals, the handover hook): one
    # place, after commit, numbers only.
    attention_changed([instance.resident_id and instance.resident, instance.worker_id and instance.worker])


def register() -> None:
    from organisations.caseload import caseload_counts_register
    from samenspraak.attention import attention_counter_register

    attention_counter_register(REQUESTS_WAITING)
    attention_counter_register(PROPOSALS_WAITING)
    caseload_counts_register(CASELOAD_COUNTS)
    post_save.connect(_tell, sender=Appointment, dispatch_uid="appointments.attention.appointment")
    post_save.connect(_tell, sender=AppointmentRequest, dispatch_uid="appointments.attention.request")
