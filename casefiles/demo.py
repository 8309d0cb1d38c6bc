"""A realistic case file for the demo resident, for ``make run``."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from blend.models import Channel
from blend.services import blend_plan_save
from casefiles import services

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_casefile_create(*, resident: User, worker: User) -> None:
    case = services.case_open(resident=resident, opened_by=worker)
    question = services.question_add(
        case=case,
        title="Ik heb schulden en krijg veel brieven",
        description="Ik durf de post niet meer open te maken.",
        added_by=worker,
    )
    goal = services.goal_add(
        case=case,
        title="Overzicht in mijn post en rekeningen",
        description="Elke week samen de post sorteren.",
        question=question,
        target_date=timezone.localdate() + timedelta(days=60),
        added_by=worker,
    )
    services.goal_action_add(
        goal=goal, description="Alle post in één doos bewaren", owner="resident", due_date=None, added_by=worker
    )
    services.goal_action_add(
        goal=goal,
        description="Samen een afspraak maken bij de schuldhulp",
        owner="together",
        due_date=timezone.localdate() + timedelta(days=14),
        added_by=worker,
    )
    services.agreement_add(case=case, text="Fatima neemt de doos met post mee naar het gesprek.", added_by=worker)
    services.note_add(
        case=case,
        body="Goed gesprek gehad. Fatima wil graag eerst overzicht, daarna pas bellen met schuldeisers.",
        is_shared=True,
        author=worker,
    )
    services.note_add(
        case=case,
        body="Intern: overleg met collega schuldhulp over voorrang.",
        is_shared=False,
        author=worker,
    )
    services.document_add(
        case=case,
        title="Overzicht van de schulden",
        upload=SimpleUploadedFile("overzicht.pdf", DEMO_PDF, content_type="application/pdf"),
        is_shared=True,
        uploaded_by=worker,
    )
    blend_plan_save(
        resident=resident,
        saved_by=worker,
        review_date=timezone.localdate() + timedelta(days=30),
        best_times="Ochtend, niet op woensdag",
        preferred_channel=Channel.PHONE,
        needs_large_text=True,
        needs_read_aloud=False,
        has_no_email=True,
        needs_help_of_relative=False,
        notes="Liever eerst bellen, daarna pas chatten.",
        case_channels={Channel.PHONE, Channel.CHAT, Channel.HOME_VISIT, Channel.VIDEO},
        goal_channels={goal: {Channel.CHAT}},
        consent_changes={Channel.CHAT: True, Channel.VIDEO: True},
    )
