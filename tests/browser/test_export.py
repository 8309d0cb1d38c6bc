"""Downloading all one's own data on a phone: the resident asks for it, sees
the progress while the queue's worker makes the ZIP (the page follows by
itself), and downloads it. Every page is axe-checked."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, ViewportSize, expect

from conftest import Personas
from diary.services import EntryData, diary_entry_add
from exports.building import export_build
from exports.models import DataExport
from tests.browser.helpers import check_page, sign_in_with_password

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def phone_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **browser_context_args,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        accept_downloads=True,
    )
    yield context
    context.close()


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Tasks wait in a queue that nothing runs (as with Redis and a busy
    worker): the test plays the worker, so the progress can be seen."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_resident_requests_follows_the_progress_and_downloads_the_zip(
    phone_context: BrowserContext,
    site: str,
    personas: Personas,
    queued_tasks: None,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.EXPORT_DIR = str(tmp_path / "exports")
    resident = personas.resident
    diary_entry_add(
        resident=resident,
        added_by=resident,
        data=EntryData("Wandelen met de buurvrouw", timezone.localdate(), None, 40, 2, 4),
    )
    page = phone_context.new_page()
    page.set_default_timeout(10_000)
    sign_in_with_password(page, site, username=resident.username, name="export-resident")

    page.get_by_role("link", name="Al mijn gegevens downloaden").click()
    check_page(page, "export-start")
    with page.expect_navigation():
        page.get_by_role("button", name="Mijn gegevens aanvragen").click()
    check_page(page, "export-progress")
    expect(page.get_by_role("heading", name="Uw map wordt gemaakt")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("in de wachtrij")
    expect(page.locator("progress")).to_be_visible()

    # The queue's worker makes the ZIP; the page notices by itself.
    export = DataExport.objects.get(resident=resident)
    export_build(export_id=export.pk)
    link = page.get_by_role("link", name="Download de map")
    expect(link).to_be_visible(timeout=15_000)
    check_page(page, "export-ready")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    archive = zipfile.ZipFile(io.BytesIO(Path(path).read_bytes()))
    data = json.loads(archive.read("gegevens.json"))

    assert download_info.value.suggested_filename.startswith("mijn-gegevens-")
    assert "lees-mij-eerst.pdf" in archive.namelist()
    assert data["dagboek"][0]["wat"] == "Wandelen met de buurvrouw"
    export.refresh_from_db()
    assert export.download_count == 1
