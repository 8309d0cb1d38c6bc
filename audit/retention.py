"""The access log as a record class of the retention engine
(``samenspraak/retention.py``). NEN 7513 asks to keep the log at least five
years. Destroying old entries is not supported yet: the log is one hash
chain per organisation, refused changes by the model, the queryset and a
database trigger, and ``verify_access_log`` checks the chain from its first
entry against signed checkpoints. Cutting the head off the chain needs a
signed "the chain starts here" checkpoint first; until then the engine only
counts and reports what is past its date (``pending_count``)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry
from audit.services import chain_key_for
from samenspraak.retention import RecordClass, record_class_register


def access_log_pending(*, organisation_id: int, before: datetime) -> int:
    return AccessLogEntry.objects.filter(chain_key=chain_key_for(organisation_id), occurred_at__lt=before).count()


def register() -> None:
    record_class_register(
        RecordClass(
            code="access_log",
            label=_("Toegangslog"),
            rule=_("na het moment van de toegang"),
            order=60,
            unit="years",
            default=5,
            legal_minimum=5,
            legal_basis=_("NEN 7513: minstens 5 jaar"),
            items=None,
            destroy=None,
            pending_count=access_log_pending,
        )
    )
