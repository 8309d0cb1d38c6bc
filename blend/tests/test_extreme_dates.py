"""A review date outside 1900 to 2100 is refused with a plain message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blend.models import BlendPlan
from conftest import Personas, client_for


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2101-01-01"])
def test_a_review_date_off_the_calendar_is_refused(personas: Personas, day: str) -> None:
    before = list(BlendPlan.objects.filter(resident=personas.resident).values_list("review_date", flat=True))
    response = client_for(personas.worker).post(
        reverse("blend:staff_blend", kwargs={"public_id": personas.resident.public_id}),
        {"review_date": day, "preferred_channel": "face_to_face"},
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 1900 en 31 december 2100." in response.content.decode()
    after = list(BlendPlan.objects.filter(resident=personas.resident).values_list("review_date", flat=True))
    assert after == before
