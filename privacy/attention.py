"""What the privacy officer must attend to (samenspraak/attention.py): open
requests whose deadline is within seven days or past (one query)."""

from __future__ import annotations

from accounts.models import Role, User
from samenspraak.attention import AttentionCounter


def privacy_requests_count(user: User) -> int | None:
    if user.role != Role.PRIVACY_OFFICER or user.organisation_id is None:
        return None
    from privacy.selectors import privacy_requests_due_count

    return privacy_requests_due_count(organisation_id=user.organisation_id)


PRIVACY_REQUESTS = AttentionCounter(
    name="privacy_requests", count=privacy_requests_count, url_name="privacy:requests", order=70
)


def register() -> None:
    from samenspraak.attention import attention_counter_register

    attention_counter_register(PRIVACY_REQUESTS)
