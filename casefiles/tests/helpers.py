"""Small helpers shared by the case-file tests."""

from __future__ import annotations

from html import unescape
from pathlib import Path
from typing import Any

from django.test import Client


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def page_text(response: Any) -> str:
    """The page as a person reads it (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


def dossier_url(resident: Any) -> str:
    return f"/werk/inwoners/{resident.public_id}/dossier/"


RESIDENT_DOSSIER_URL = "/mijn/dossier/"


def messages_of(response: Any) -> list[str]:
    """The messages a view left for the person (shown on the next page)."""
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


def post_and_follow(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    """POST, follow the redirect, and return the page text with its messages."""
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return page_text(response)


def casefile_state(case: Any) -> dict[str, Any]:
    """Everything a refused change could have touched, to compare before and
    after: the case, its items, the timeline and the logged changes."""
    from audit.models import AccessLogEntry
    from casefiles.models import (
        Agreement,
        CorrectionRequest,
        Document,
        Goal,
        GoalAction,
        Note,
        ResidentComment,
        SupportQuestion,
        TimelineEvent,
    )
    from organisations.models import CaseloadAssignment

    case.refresh_from_db()
    return {
        "case": (case.status, case.status_reason, case.closed_at),
        "questions": list(SupportQuestion.objects.filter(case=case).values_list("title", "status")),
        "goals": list(Goal.objects.filter(case=case).values_list("title", "status")),
        "actions": list(GoalAction.objects.filter(goal__case=case).values_list("description", "done_at")),
        "agreements": list(Agreement.objects.filter(case=case).values_list("text", flat=True)),
        "notes": list(Note.objects.filter(case=case).values_list("body", "is_shared")),
        "documents": list(Document.objects.filter(case=case).values_list("title", "is_shared")),
        "comments": list(ResidentComment.objects.filter(case=case).values_list("body", flat=True)),
        "corrections": list(
            CorrectionRequest.objects.filter(case=case).values_list("request_text", "status", "answer_text")
        ),
        "workers": list(CaseloadAssignment.objects.filter(resident=case.resident).values_list("worker", flat=True)),
        "timeline": TimelineEvent.objects.filter(resident=case.resident).count(),
        "changes_logged": AccessLogEntry.objects.filter(subject=case.resident, outcome="allowed")
        .exclude(action__in=["view", "list"])
        .count(),
    }
