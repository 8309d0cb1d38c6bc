"""Who reaches a consent record: only the resident it is about, through
the policy core (``resident_get_for_user``, which logs the read or the
refusal). Someone else's record, or one that does not exist, answers
``Http404``; an attempt on an existing record of another resident is
logged as denied against that resident."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import User
from audit.services import Access, access_log_record
from consents.models import ConsentRecord
from samenspraak.policy import Action, Outcome, parse_public_id, resident_get_for_user


def consent_record_get_for_subject(*, user: User, public_id: Any, action: str = Action.CHANGE) -> ConsentRecord:
    """One of ``user``'s own consent records (``user`` is the resident)."""
    resident = resident_get_for_user(user=user, public_id=user.public_id, action=action, object_type="consent_record")
    record = ConsentRecord.objects.filter(public_id=parse_public_id(public_id)).select_related("subject").first()
    if record is None:
        raise Http404
    if record.subject_id != resident.pk:
        if record.subject is not None:
            access_log_record(
                actor=user,
                accesses=[Access(record.subject, "consent_record", str(record.public_id), action, Outcome.DENIED)],
            )
        raise Http404
    return record
