"""An organisation's name, logo and brand colour."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from conftest import Personas, client_for
from organisations.models import Organisation

SETTINGS_URL = "/beheer/organisatie/"


def png_bytes(width: int = 120, height: int = 80, *, comment: str = "", mode: str = "RGB") -> bytes:
    image = Image.new(mode, (width, height), "navy" if mode == "RGB" else 0)
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def settings_form(personas: Personas, **overrides: object) -> dict[str, object]:
    organisation = personas.organisation
    data: dict[str, object] = {
        "name": organisation.name,
        "brand_colour": organisation.brand_colour,
        "phone": organisation.phone,
    }
    data.update(overrides)
    return data


def organisation_state(organisation: Organisation) -> tuple[object, ...]:
    organisation.refresh_from_db()
    return (
        organisation.name,
        organisation.brand_colour,
        organisation.phone,
        bytes(organisation.logo_png),
        organisation.logo_updated_at,
    )


def test_admin_uploads_a_png_logo_that_is_re_encoded_and_served(personas: Personas) -> None:
    upload = png_bytes(comment="Gemaakt op Kerkstraat 12, Rivierstad")

    response = client_for(personas.admin).post(
        SETTINGS_URL, settings_form(personas, logo=SimpleUploadedFile("logo.png", upload, "image/png"))
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=personas.organisation.pk)
    stored = bytes(organisation.logo_png)
    assert stored
    assert stored != upload
    # Metadata hidden in the upload is dropped by re-encoding.
    assert b"Kerkstraat" not in stored
    served = client_for(None).get(f"/branding/{organisation.public_id}/logo.png")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content == stored
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "PNG"
        assert image.size == (120, 80)


def test_uploaded_jpeg_is_stored_as_png(personas: Personas) -> None:
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "darkgreen").save(out, format="JPEG")

    client_for(personas.admin).post(
        SETTINGS_URL, settings_form(personas, logo=SimpleUploadedFile("logo.jpg", out.getvalue(), "image/jpeg"))
    )

    organisation = Organisation.objects.get(pk=personas.organisation.pk)
    with Image.open(io.BytesIO(bytes(organisation.logo_png))) as image:
        assert image.format == "PNG"


def test_large_logo_is_scaled_down(personas: Personas) -> None:
    client_for(personas.admin).post(
        SETTINGS_URL,
        settings_form(personas, logo=SimpleUploadedFile("logo.png", png_bytes(2400, 1200), "image/png")),
    )

    organisation = Organisation.objects.get(pk=personas.organisation.pk)
    with Image.open(io.BytesIO(bytes(organisation.logo_png))) as image:
        assert image.size == (600, 300)


def test_text_file_named_logo_png_is_refused_and_nothing_is_stored(personas: Personas) -> None:
    before = organisation_state(personas.organisation)
    fake = SimpleUploadedFile("logo.png", b"<?php system($_GET['c']); ?>\nDit is geen plaatje.\n", "image/png")

    response = client_for(personas.admin).post(SETTINGS_URL, settings_form(personas, name="Nieuwe naam", logo=fake))

    assert response.status_code == 200
    assert "Dit bestand is geen afbeelding. Kies een PNG- of JPG-bestand." in response.content.decode()
    assert organisation_state(personas.organisation) == before


def test_png_header_followed_by_garbage_is_refused(personas: Personas) -> None:
    before = organisation_state(personas.organisation)
    broken = png_bytes()[:60] + b"\x00" * 200

    response = client_for(personas.admin).post(
        SETTINGS_URL, settings_form(personas, logo=SimpleUploadedFile("logo.png", broken, "image/png"))
    )

    assert response.status_code == 200
    assert "Dit bestand is geen afbeelding." in response.content.decode()
    assert organisation_state(personas.organisation) == before


def test_oversized_logo_file_is_refused_and_nothing_is_stored(personas: Personas) -> None:
    before = organisation_state(personas.organisation)
    oversized = png_bytes() + os.urandom(1_100_000)

    response = client_for(personas.admin).post(
        SETTINGS_URL, settings_form(personas, logo=SimpleUploadedFile("logo.png", oversized, "image/png"))
    )

    assert response.status_code == 200
    assert "Het logo is te groot. Kies een bestand kleiner dan 1 MB." in response.content.decode()
    assert organisation_state(personas.organisation) == before


def test_image_with_too_many_pixels_is_refused(personas: Personas) -> None:
    before = organisation_state(personas.organisation)
    # Small on disk, enormous once decoded.
    bomb = png_bytes(7000, 7000, mode="1")
    assert len(bomb) < 1_000_000

    response = client_for(personas.admin).post(
        SETTINGS_URL, settings_form(personas, logo=SimpleUploadedFile("logo.png", bomb, "image/png"))
    )

    assert response.status_code == 200
    assert "Deze afbeelding is te groot. Kies een kleinere." in response.content.decode()
    assert organisation_state(personas.organisation) == before


@pytest.mark.parametrize(
    "colour",
    ["red", "#fff", "1f5fa8", "#12345g", "#1f5fa8;}", "<script>", "#1f5fa8\u202e", "#1f\x005fa8", "x" * 500],
)
def test_brand_colour_must_be_hash_and_six_hex_digits(personas: Personas, colour: str) -> None:
    before = organisation_state(personas.organisation)

    response = client_for(personas.admin).post(SETTINGS_URL, settings_form(personas, brand_colour=colour))

    assert response.status_code == 200
    content = response.content.decode()
    assert any(
        message in content for message in ("Vul een kleur in als # met zes tekens", "Null-tekens zijn niet toegestaan.")
    )
    assert organisation_state(personas.organisation) == before


def test_brand_colour_is_stored_in_lowercase(personas: Personas) -> None:
    response = client_for(personas.admin).post(SETTINGS_URL, settings_form(personas, brand_colour="#1A4B7C"))

    assert response.status_code == 302
    personas.organisation.refresh_from_db()
    assert personas.organisation.brand_colour == "#1a4b7c"


def test_brand_colour_appears_in_the_page_style(personas: Personas) -> None:
    client_for(personas.admin).post(SETTINGS_URL, settings_form(personas, brand_colour="#1a4b7c"))

    response = client_for(personas.resident).get("/mijn/")

    assert "--brand: #1a4b7c;" in response.content.decode()


def test_logo_of_an_organisation_without_one_is_not_found(personas: Personas) -> None:
    response = client_for(None).get(f"/branding/{personas.organisation.public_id}/logo.png")

    assert response.status_code == 404


def test_logo_of_an_unknown_organisation_is_not_found(db: None) -> None:
    response = client_for(None).get("/branding/00000000-0000-0000-0000-000000000000/logo.png")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["social_worker", "team_lead", "privacy_officer", "resident", "platform_admin"])
def test_only_an_organisation_admin_changes_branding(personas: Personas, role: str) -> None:
    before = organisation_state(personas.organisation)

    response = client_for(personas.by_role()[role]).post(
        SETTINGS_URL,
        settings_form(personas, name="Overgenomen", logo=SimpleUploadedFile("logo.png", png_bytes(), "image/png")),
    )

    assert response.status_code == 403
    assert organisation_state(personas.organisation) == before


def test_admin_of_another_organisation_changes_only_their_own(personas: Personas) -> None:
    before = organisation_state(personas.organisation)

    response = client_for(personas.foreign_admin).post(SETTINGS_URL, settings_form(personas, name="Overgenomen"))

    assert response.status_code == 302
    assert organisation_state(personas.organisation) == before
    personas.foreign_organisation.refresh_from_db()
    assert personas.foreign_organisation.name == "Overgenomen"
