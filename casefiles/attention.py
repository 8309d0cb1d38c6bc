"""What the case file adds to "what needs a person" (samenspraak/attention.py):
residents with open correction requests, or with comments and uploads the
worker has not seen since they last opened the file."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_save

from accounts.models import CASEWORK_ROLES, User
from casefiles.models import CaseFileVisit, CorrectionRequest, Document, ResidentComment
from samenspraak.attention import AttentionCounter, attention_changed


def casefiles_waiting_count(user: User) -> int | None:
    """How many residents ``user`` may see have something in their file that
    waits for a worker (one query)."""
    if user.role not in CASEWORK_ROLES:
        return None
    from casefiles.selectors import caseload_counts_of_casefiles
    from samenspraak.policy import residents_for_casework

    residents = residents_for_casework(user)
    for name, expression in caseload_counts_of_casefiles(user).items():
        residents = residents.annotate(**{name: expression})
    waiting = Q(open_corrections__gt=0) | Q(new_documents__gt=0) | Q(new_comments__gt=0)
    return residents.filter(waiting).count()


CASEFILES_WAITING = AttentionCounter(
    name="casefiles_waiting", count=casefiles_waiting_count, url_name="pages:today", order=40
)


def _tell_workers(sender: Any, instance: Any, **kwargs: Any) -> None:
    from organisations.caseload import caseload_attention_changed

    caseload_attention_changed(instance.case.resident_id)


def _tell_visitor(sender: Any, instance: CaseFileVisit, **kwargs: Any) -> None:
    # The worker opened the file: what was new for them is seen.
    attention_changed([instance.worker])


def register() -> None:
    from samenspraak.attention import attention_counter_register

    attention_counter_register(CASEFILES_WAITING)
    for model in (CorrectionRequest, Document, ResidentComment):
        post_save.connect(_tell_workers, sender=model, dispatch_uid=f"casefiles.attention.{model.__name__}")
    post_save.connect(_tell_visitor, sender=CaseFileVisit, dispatch_uid="casefiles.attention.visit")
