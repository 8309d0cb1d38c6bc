"""E-learning and the library: safe Markdown, image steps, saved progress in
order, version pinning, who reaches what, search, and query counts."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from audit.models import AccessLogEntry
from casefiles.models import TimelineEvent
from conftest import Personas, client_for
from learning.demo import ARTICLES, demo_learning_create
from learning.markup import markdown_to_safe_html
from learning.models import Answer, LibraryItem, Module, ModuleRun, Status, Step
from learning.selectors import library_list
from learning.services import (
    ChoiceData,
    LearningError,
    LibraryItemData,
    StepData,
    library_item_save,
    module_create,
    module_draft_start,
    module_publish,
    module_run_start,
    step_add,
    step_change,
    step_save,
)


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "#c00000").save(out, format="PNG")
    return SimpleUploadedFile("plaatje.png", out.getvalue(), "image/png")


def _module(personas: Personas, *, steps: int = 3, title: str = "Oefenmodule", publish: bool = True) -> Module:
    module = module_create(organisation=personas.organisation, created_by=personas.admin, title=title)
    version = module.versions.get()
    for n in range(1, steps + 1):
        step_add(version=version, added_by=personas.admin, data=StepData("text", f"Stap {n}", f"Tekst van stap {n}."))
    if publish:
        module_publish(version=version, published_by=personas.admin)
    module.refresh_from_db()
    return module


def _steps(run: ModuleRun) -> list[Step]:
    return list(Step.objects.filter(version_id=run.version_id).order_by("position"))


# --- Markdown made safe -------------------------------------------------------------------------


def test_markdown_loses_script_and_event_handlers() -> None:
    html = markdown_to_safe_html(
        "Hallo **wereld**\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '<p onclick="steal()">klik</p>\n\n[link](javascript:alert(1))'
    )
    assert "<strong>wereld</strong>" in html
    assert "<script" not in html
    assert "alert('x')" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "<img" not in html
    assert "javascript:" not in html


def test_markdown_heading_becomes_a_second_level_heading() -> None:
    assert "<h2>Kopje</h2>" in markdown_to_safe_html("# Kopje")


def test_the_saved_article_holds_only_the_cleaned_html(personas: Personas) -> None:
    item = library_item_save(
        organisation=personas.organisation,
        saved_by=personas.admin,
        data=LibraryItemData("Test", "Tekst <script>bad()</script> <b onmouseover=x>vet</b>", is_published=True),
    )
    assert "<script" not in item.body_html
    assert "onmouseover" not in item.body_html


# --- Image steps --------------------------------------------------------------------------------


def test_an_image_without_alt_text_is_refused_with_a_clear_message(personas: Personas) -> None:
    module = _module(personas, publish=False)
    version = module.versions.get()
    with pytest.raises(LearningError, match="Beschrijf wat er op de afbeelding staat"):
        step_add(
            version=version, added_by=personas.admin, data=StepData("image", "Plaatje", image_alt=" "), image=_png()
        )
    assert not version.steps.filter(kind="image").exists()


def test_an_image_step_form_without_alt_text_shows_the_message(personas: Personas) -> None:
    module = _module(personas, publish=False)
    url = reverse("learning:step_add", kwargs={"public_id": module.public_id}) + "?soort=image"
    response = client_for(personas.admin).post(url, {"soort": "image", "title": "Plaatje", "image": _png()})
    assert response.status_code == 200
    assert "Beschrijf wat er op de afbeelding staat" in response.content.decode()
    assert not Step.objects.filter(kind="image").exists()


def test_a_file_that_is_no_image_is_refused(personas: Personas) -> None:
    module = _module(personas, publish=False)
    fake = SimpleUploadedFile("plaatje.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(LearningError):
        step_add(
            version=module.versions.get(),
            added_by=personas.admin,
            data=StepData("image", "Plaatje", image_alt="Een rood vlak"),
            image=fake,
        )


def test_an_image_with_alt_text_is_stored_reencoded_and_shown_to_residents(personas: Personas) -> None:
    module = _module(personas, publish=False)
    version = module.versions.get()
    step = step_add(
        version=version,
        added_by=personas.admin,
        data=StepData("image", "Plaatje", image_alt="Een rood vlak"),
        image=_png(),
    )
    url = reverse("learning:image", kwargs={"public_id": step.public_id})
    # A draft's image: only for authors.
    assert client_for(personas.resident).get(url).status_code == 404
    assert client_for(personas.admin).get(url).status_code == 200
    module_publish(version=version, published_by=personas.admin)
    response = client_for(personas.resident).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client_for(personas.foreign_resident).get(url).status_code == 404


def test_a_question_needs_kind_feedback_for_every_answer(personas: Personas) -> None:
    module = _module(personas, publish=False)
    data = StepData(
        "question", "Vraag", "Wat klopt?", choices=[ChoiceData("Ja", "Goed zo", True), ChoiceData("Nee", "")]
    )
    with pytest.raises(LearningError, match="vriendelijke uitleg"):
        step_add(version=module.versions.get(), added_by=personas.admin, data=data)


# --- Progress: saved per step, in order ---------------------------------------------------------


def test_progress_is_saved_per_step_and_finishing_is_a_timeline_event(personas: Personas) -> None:
    module = _module(personas, steps=2)
    run = module_run_start(module=module, resident=personas.resident)
    first, second = _steps(run)
    run = step_save(run=run, step_public_id=str(first.public_id), saved_by=personas.resident)
    assert run.steps_done == 1 and run.finished_at is None
    run = step_save(run=run, step_public_id=str(second.public_id), saved_by=personas.resident)
    assert run.finished_at is not None
    event = TimelineEvent.objects.get(resident=personas.resident, kind="learning.module_finished")
    assert event.params == {"title": "Oefenmodule"}
    assert AccessLogEntry.objects.filter(object_type="learning_run", subject=personas.resident).exists()


def test_a_step_further_on_is_refused_and_nothing_is_saved(personas: Personas) -> None:
    module = _module(personas, steps=3)
    run = module_run_start(module=module, resident=personas.resident)
    third = _steps(run)[2]
    with pytest.raises(LearningError, match="Doe eerst de stappen hiervoor"):
        step_save(run=run, step_public_id=str(third.public_id), saved_by=personas.resident)
    run.refresh_from_db()
    assert run.steps_done == 0


def test_a_step_of_another_module_is_refused(personas: Personas) -> None:
    module = _module(personas, steps=2)
    other = _module(personas, steps=2, title="Andere module")
    run = module_run_start(module=module, resident=personas.resident)
    foreign_step = Step.objects.filter(version=other.published_version).order_by("position").first()
    assert foreign_step is not None
    with pytest.raises(LearningError, match="hoort niet bij deze module"):
        step_save(run=run, step_public_id=str(foreign_step.public_id), saved_by=personas.resident)
    # Through the page: refused with the message, the place unchanged.
    client = client_for(personas.resident)
    url = reverse("learning:step_save", kwargs={"public_id": module.public_id})
    response = client.post(url, {"step": str(foreign_step.public_id)}, follow=True)
    assert "hoort niet bij deze module" in response.content.decode()
    run.refresh_from_db()
    assert run.steps_done == 0


def test_someone_else_cannot_save_a_residents_step(personas: Personas) -> None:
    module = _module(personas, steps=2)
    run = module_run_start(module=module, resident=personas.resident)
    with pytest.raises(LearningError):
        step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.other_resident)
    run.refresh_from_db()
    assert run.steps_done == 0


def test_a_question_saves_the_answer_and_shows_its_kind_feedback(personas: Personas) -> None:
    module = demo_learning_create(organisation=personas.organisation, author=personas.admin)
    client = client_for(personas.resident)
    module_url = reverse("learning:module", kwargs={"public_id": module.public_id})
    client.post(reverse("learning:module_start", kwargs={"public_id": module.public_id}))
    run = ModuleRun.objects.get(resident=personas.resident)
    steps = _steps(run)
    for step in steps[:3]:
        client.post(reverse("learning:step_save", kwargs={"public_id": module.public_id}), {"step": step.public_id})
    question = steps[3]
    wrong = question.choices.get(is_correct=False)
    response = client.post(
        reverse("learning:step_save", kwargs={"public_id": module.public_id}),
        {"step": question.public_id, "choice": wrong.pk, "kind": "question", "position": question.position},
        follow=True,
    )
    page = response.content.decode()
    assert "Bijna!" in page
    assert "3 jaar is dus goed" in page
    assert Answer.objects.get(run=run).choice == wrong
    assert client.get(module_url).status_code == 200


def test_a_question_without_an_answer_is_refused(personas: Personas) -> None:
    module = module_create(organisation=personas.organisation, created_by=personas.admin, title="Vraagmodule")
    version = module.versions.get()
    step_add(
        version=version,
        added_by=personas.admin,
        data=StepData(
            "question", "Vraag", "Klopt dit?", choices=[ChoiceData("Ja", "Goed", True), ChoiceData("Nee", "Bijna")]
        ),
    )
    module_publish(version=version, published_by=personas.admin)
    module.refresh_from_db()
    run = module_run_start(module=module, resident=personas.resident)
    with pytest.raises(LearningError, match="Kies een antwoord"):
        step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.resident)


# --- Versions -----------------------------------------------------------------------------------


def test_editing_a_published_module_makes_a_new_version_and_keeps_the_residents_place(personas: Personas) -> None:
    module = _module(personas, steps=3)
    first_version = module.published_version
    run = module_run_start(module=module, resident=personas.resident)
    run = step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.resident)
    draft = module_draft_start(module=module, started_by=personas.admin)
    assert draft.number == 2
    # The published version itself refuses changes.
    published_step = Step.objects.filter(version=first_version).order_by("position").first()
    assert published_step is not None
    with pytest.raises(LearningError, match="verandert niet meer"):
        step_change(step=published_step, changed_by=personas.admin, data=StepData("text", "Nieuw", "Nieuw"))
    step_add(version=draft, added_by=personas.admin, data=StepData("text", "Stap 4", "Nieuw erbij."))
    module_publish(version=draft, published_by=personas.admin)
    module.refresh_from_db()
    assert module.published_version == draft
    run.refresh_from_db()
    assert run.version == first_version
    assert run.steps_done == 1
    # The resident goes on in their own version: step 2 of 3.
    page = client_for(personas.resident).get(reverse("learning:module", kwargs={"public_id": module.public_id}))
    assert "Stap 2 van 3" in page.content.decode()
    first_version.refresh_from_db()
    assert first_version.status == Status.RETIRED
    # A new resident starts on version 2.
    other_run = module_run_start(module=module, resident=personas.other_resident)
    assert other_run.version == draft


def test_a_finished_module_can_be_done_again_on_the_newest_version(personas: Personas) -> None:
    module = _module(personas, steps=1)
    run = module_run_start(module=module, resident=personas.resident)
    step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.resident)
    again = module_run_start(module=module, resident=personas.resident)
    assert again.pk != run.pk
    assert again.steps_done == 0


# --- Who reaches what ---------------------------------------------------------------------------


def test_an_unpublished_module_is_404_for_residents(personas: Personas) -> None:
    module = _module(personas, publish=False)
    client = client_for(personas.resident)
    assert client.get(reverse("learning:module", kwargs={"public_id": module.public_id})).status_code == 404
    assert client.post(reverse("learning:module_start", kwargs={"public_id": module.public_id})).status_code == 404
    assert not ModuleRun.objects.exists()


def test_a_module_of_another_organisation_is_404(personas: Personas) -> None:
    module = _module(personas)
    client = client_for(personas.foreign_resident)
    assert client.get(reverse("learning:module", kwargs={"public_id": module.public_id})).status_code == 404


def test_a_draft_article_and_someone_elses_article_are_404(personas: Personas) -> None:
    draft = library_item_save(
        organisation=personas.organisation, saved_by=personas.admin, data=LibraryItemData("Concept", "Tekst")
    )
    personal = library_item_save(
        organisation=personas.organisation,
        saved_by=personas.admin,
        data=LibraryItemData("Voor Fatima", "Tekst", audience_resident=personas.resident, is_published=True),
    )
    other = client_for(personas.other_resident)
    assert other.get(reverse("learning:article", kwargs={"public_id": draft.public_id})).status_code == 404
    assert other.get(reverse("learning:article", kwargs={"public_id": personal.public_id})).status_code == 404
    own = client_for(personas.resident)
    assert own.get(reverse("learning:article", kwargs={"public_id": personal.public_id})).status_code == 200
    assert AccessLogEntry.objects.filter(object_type="library_item", actor=personas.resident).exists()
    assert "Voor Fatima" not in other.get(reverse("learning:library")).content.decode()


def test_the_worker_sees_progress_but_answers_only_when_shared(personas: Personas) -> None:
    module = demo_learning_create(
        organisation=personas.organisation, author=personas.admin, resident=personas.resident, worker=personas.worker
    )
    run = module_run_start(module=module, resident=personas.resident)
    steps = _steps(run)
    for step in steps[:3]:
        run = step_save(run=run, step_public_id=str(step.public_id), saved_by=personas.resident)
    wrong = steps[3].choices.get(is_correct=False)
    step_save(run=run, step_public_id=str(steps[3].public_id), saved_by=personas.resident, choice_id=wrong.pk)
    url = reverse(
        "learning:staff_progress", kwargs={"public_id": personas.resident.public_id, "module_id": module.public_id}
    )
    worker = client_for(personas.worker)
    page = worker.get(url).content.decode()
    assert "4 van 9 stappen" in page
    assert wrong.text not in page
    client_for(personas.resident).post(
        reverse("learning:share", kwargs={"public_id": module.public_id}), {"is_shared": "on"}
    )
    assert wrong.text in worker.get(url).content.decode()
    # A worker without the resident on the caseload: 404.
    assert client_for(personas.other_worker).get(url).status_code == 404


def test_a_worker_assigns_a_module_and_it_is_first_on_the_residents_list(personas: Personas) -> None:
    _module(personas, title="Aaa eerst op naam")
    module = demo_learning_create(organisation=personas.organisation, author=personas.admin)
    url = reverse("learning:staff_resident", kwargs={"public_id": personas.resident.public_id})
    response = client_for(personas.worker).post(url, {"module": str(module.public_id)})
    assert response.status_code == 302
    assert AccessLogEntry.objects.filter(object_type="learning_assignment").exists()
    page = client_for(personas.resident).get(reverse("learning:home")).content.decode()
    assert page.index("Hoe stem ik?") < page.index("Aaa eerst op naam")
    assert "Klaargezet door uw werker" in page


def test_a_worker_cannot_assign_to_a_resident_off_the_caseload(personas: Personas) -> None:
    module = demo_learning_create(organisation=personas.organisation, author=personas.admin)
    url = reverse("learning:staff_resident", kwargs={"public_id": personas.resident.public_id})
    assert client_for(personas.other_worker).post(url, {"module": str(module.public_id)}).status_code == 404
    assert not module.assignments.exists()


def test_only_authors_reach_the_authoring_pages(personas: Personas) -> None:
    url = reverse("learning:author_home")
    assert client_for(personas.admin).get(url).status_code == 200
    assert client_for(personas.team_lead).get(url).status_code == 200
    assert client_for(personas.worker).get(url).status_code == 403
    assert client_for(personas.resident).get(url).status_code == 403


def test_the_article_preview_shows_cleaned_html_and_saves_nothing(personas: Personas) -> None:
    response = client_for(personas.admin).post(
        reverse("learning:article_new"),
        {"title": "Proef", "body_markdown": "**Vet** <script>x()</script>", "preview": "1"},
    )
    page = response.content.decode()
    assert "<strong>Vet</strong>" in page
    assert "<script>x()" not in page
    assert not LibraryItem.objects.exists()


def test_saving_an_article_keeps_a_revision_each_time(personas: Personas) -> None:
    client = client_for(personas.admin)
    client.post(reverse("learning:article_new"), {"title": "Eerste", "body_markdown": "Tekst", "is_published": "on"})
    item = LibraryItem.objects.get()
    client.post(
        reverse("learning:article_edit", kwargs={"public_id": item.public_id}),
        {"title": "Tweede", "body_markdown": "Tekst", "is_published": "on"},
    )
    assert list(item.revisions.values_list("title", flat=True)) == ["Tweede", "Eerste"]


# --- Search ---------------------------------------------------------------------------------------


def test_search_finds_articles_by_words_in_title_or_text(personas: Personas) -> None:
    demo_learning_create(organisation=personas.organisation, author=personas.admin)
    found = [item.title for item in library_list(resident=personas.resident, query="rekening")]
    assert found == ["Hulp bij post en rekeningen"]
    found = [item.title for item in library_list(resident=personas.resident, query="camera microfoon")]
    assert found == ["Beeldbellen: zo werkt het"]
    assert library_list(resident=personas.resident, query="ruimtevaart") == []
    assert len(library_list(resident=personas.resident)) == len(ARTICLES)
    page = client_for(personas.resident).get(reverse("learning:library") + "?q=wijkteam").content.decode()
    assert "Wat is een sociaal wijkteam?" in page


# --- Query counts ----------------------------------------------------------------------------------


def _count(client: object, url: str) -> int:
    client.get(url)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


def test_the_library_list_costs_the_same_queries_for_3_and_30_articles(personas: Personas) -> None:
    client = client_for(personas.resident)
    counts = []
    for total in (3, 30):
        LibraryItem.objects.all().delete()
        for n in range(total):
            library_item_save(
                organisation=personas.organisation,
                saved_by=personas.admin,
                data=LibraryItemData(f"Artikel {n}", "Tekst", topic_name=f"Onderwerp {n % 5}", is_published=True),
            )
        counts.append(_count(client, reverse("learning:library")))
    assert counts[0] == counts[1], counts
    print(f"library list: {counts[0]} queries for 3 and {counts[1]} for 30 articles")


def test_a_module_page_costs_the_same_queries_for_3_and_30_steps(personas: Personas) -> None:
    client = client_for(personas.resident)
    counts = []
    for total in (3, 30):
        module = _module(personas, steps=total, title=f"Module {total}")
        run = module_run_start(module=module, resident=personas.resident)
        step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.resident)
        counts.append(_count(client, reverse("learning:module", kwargs={"public_id": module.public_id})))
    assert counts[0] == counts[1], counts
    print(f"module page: {counts[0]} queries for 3 and {counts[1]} for 30 steps")


def test_the_module_list_costs_the_same_queries_for_3_and_30_modules(personas: Personas) -> None:
    client = client_for(personas.resident)
    counts = []
    for total in (3, 30):
        while Module.objects.count() < total:
            module = _module(personas, steps=2, title=f"Module {Module.objects.count()}")
            module_run_start(module=module, resident=personas.resident)
        counts.append(_count(client, reverse("learning:home")))
    assert counts[0] == counts[1], counts


def test_a_made_up_step_is_refused_plainly(personas: Personas) -> None:
    module = _module(personas, steps=2)
    module_run_start(module=module, resident=personas.resident)
    url = reverse("learning:step_save", kwargs={"public_id": module.public_id})
    response = client_for(personas.resident).post(url, {"step": "geen-stap", "choice": "x"}, follow=True)
    assert response.status_code == 200
    assert "hoort niet bij deze module" in response.content.decode()
    assert ModuleRun.objects.get(resident=personas.resident).steps_done == 0


# --- Video with captions ----------------------------------------------------------------------------

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nHier ziet u het stembureau.\n"


def _video() -> SimpleUploadedFile:
    return SimpleUploadedFile("uitleg.mp4", MP4, "video/mp4")


def _captions(text: str = VTT) -> SimpleUploadedFile:
    return SimpleUploadedFile("uitleg.vtt", text.encode(), "text/vtt")


def test_a_video_without_captions_is_saved_with_a_warning_to_the_author(personas: Personas) -> None:
    module = _module(personas, publish=False)
    url = reverse("learning:step_add", kwargs={"public_id": module.public_id}) + "?soort=video"
    response = client_for(personas.admin).post(
        url, {"soort": "video", "title": "Filmpje", "body_markdown": "Kijk mee.", "video": _video()}, follow=True
    )
    page = response.content.decode()
    assert "deze video heeft geen ondertitels" in page
    assert Step.objects.get(kind="video").video_type == "video/mp4"


def test_a_video_with_captions_plays_with_a_dutch_track(personas: Personas) -> None:
    module = _module(personas, steps=0, publish=False)
    version = module.versions.get()
    step = step_add(
        version=version,
        added_by=personas.admin,
        data=StepData("video", "Filmpje", "Kijk mee."),
        video=_video(),
        captions=_captions(),
    )
    module_publish(version=version, published_by=personas.admin)
    client = client_for(personas.resident)
    client.post(reverse("learning:module_start", kwargs={"public_id": module.public_id}))
    page = client.get(reverse("learning:module", kwargs={"public_id": module.public_id})).content.decode()
    assert '<track kind="captions" srclang="nl"' in page
    captions = client.get(reverse("learning:captions", kwargs={"public_id": step.public_id}))
    assert captions["Content-Type"].startswith("text/vtt")
    assert "Hier ziet u het stembureau." in captions.content.decode()
    assert client.get(reverse("learning:video", kwargs={"public_id": step.public_id}))["Content-Type"] == "video/mp4"


def test_a_video_that_is_no_video_and_captions_that_are_no_webvtt_are_refused(personas: Personas) -> None:
    module = _module(personas, publish=False)
    version = module.versions.get()
    with pytest.raises(LearningError, match="MP4- of WebM"):
        step_add(
            version=version,
            added_by=personas.admin,
            data=StepData("video", "Filmpje"),
            video=SimpleUploadedFile("film.mp4", b"#!/bin/sh\nrm -rf /\n", "video/mp4"),
        )
    with pytest.raises(LearningError, match="WebVTT"):
        step_add(
            version=version,
            added_by=personas.admin,
            data=StepData("video", "Filmpje"),
            video=_video(),
            captions=_captions("<script>alert(1)</script>"),
        )
    assert not version.steps.filter(kind="video").exists()


def test_the_workers_page_and_the_authors_page_cost_the_same_queries_for_3_and_30_modules(personas: Personas) -> None:
    from learning.services import module_assign

    worker, admin = client_for(personas.worker), client_for(personas.admin)
    worker_url = reverse("learning:staff_resident", kwargs={"public_id": personas.resident.public_id})
    counts: dict[str, list[int]] = {"worker": [], "author": []}
    for total in (3, 30):
        while Module.objects.count() < total:
            module = _module(personas, steps=2, title=f"Module {Module.objects.count()}")
            module_assign(module=module, resident=personas.resident, assigned_by=personas.worker)
            if Module.objects.count() % 2:
                module_run_start(module=module, resident=personas.resident)
        counts["worker"].append(_count(worker, worker_url))
        counts["author"].append(_count(admin, reverse("learning:author_home")))
    assert counts["worker"][0] == counts["worker"][1], counts
    assert counts["author"][0] == counts["author"][1], counts
    print(f"worker's learning page and author home: {counts}")


def test_the_finished_module_reads_per_reader_on_the_timeline(personas: Personas) -> None:
    from casefiles.timeline import timeline_event_text

    module = _module(personas, steps=1, title="Hoe stem ik?")
    run = module_run_start(module=module, resident=personas.resident)
    step_save(run=run, step_public_id=str(_steps(run)[0].public_id), saved_by=personas.resident)
    event = TimelineEvent.objects.select_related("actor").get(kind="learning.module_finished")
    assert timeline_event_text(event, viewer=personas.resident)[0] == 'U hebt de module "Hoe stem ik?" afgerond'
    worker_text = timeline_event_text(event, viewer=personas.worker)[0]
    assert worker_text == f'{personas.resident.full_name} heeft de module "Hoe stem ik?" afgerond'
