"""What the blend plan adds to "what needs a person" (samenspraak/attention.py):
reviews due this week (or overdue) on the worker's caseload."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone

from accounts.models import CASEWORK_ROLES, User
from blend.models import BlendPlan
from samenspraak.attention import AttentionCounter


def week_end(today: date | None = None) -> date:
    """The Sunday of this week."""
    today = today or timezone.localdate()
    return today + timedelta(days=6 - today.weekday())


def reviews_due_count(user: User) -> int | None:
    """Residents ``user`` may see whose blend plan is to be reviewed by the
    end of this week, overdue ones included (one query)."""
    if user.role not in CASEWORK_ROLES:
        return None
    from samenspraak.policy import residents_for_casework

    return residents_for_casework(user).filter(blend_plan__review_date__lte=week_end()).count()


REVIEWS_DUE = AttentionCounter(name="reviews_due", count=reviews_due_count, url_name="pages:today", order=60)


def _tell(sender: Any, instance: BlendPlan, **kwargs: Any) -> None:
    from organisations.caseload import caseload_attention_changed

    caseload_attention_changed(instance.resident_id)


def register() -> None:
    from samenspraak.attention import attention_counter_register

    attention_counter_register(REVIEWS_DUE)
    post_save.connect(_tell, sender=BlendPlan, dispatch_uid="blend.attention.plan")
