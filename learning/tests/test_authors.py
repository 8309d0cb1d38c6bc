"""The organisation admin designates social workers who write learning
content, besides the admins and team leads who do by their role."""

from __future__ import annotations

from conftest import Personas, client_for
from learning.models import Author, Module

MAKERS_URL = "/beheer/leren/makers/"


def test_a_designated_worker_writes_modules_until_the_admin_takes_it_back(personas: Personas) -> None:
    worker = client_for(personas.worker)
    assert worker.get("/beheer/leren/").status_code == 403

    added = client_for(personas.admin).post(
        MAKERS_URL, {"worker": str(personas.worker.public_id), "actie": "toevoegen"}
    )
    assert added.status_code == 302
    assert Author.objects.filter(user=personas.worker).exists()
    assert worker.get("/beheer/leren/").status_code == 200
    assert worker.post("/beheer/leren/module/nieuw/", {"title": "Uw post ordenen"}).status_code == 302
    assert Module.objects.filter(organisation=personas.organisation).exists()

    client_for(personas.admin).post(MAKERS_URL, {"worker": str(personas.worker.public_id), "actie": "weghalen"})
    assert not Author.objects.filter(user=personas.worker).exists()
    assert worker.get("/beheer/leren/").status_code == 403
    # What they wrote stays the organisation's.
    assert Module.objects.filter(organisation=personas.organisation).exists()


def test_only_the_own_admin_chooses_and_only_social_workers(personas: Personas) -> None:
    worker_id = str(personas.worker.public_id)
    # A team lead writes content but does not choose authors.
    assert client_for(personas.team_lead).post(MAKERS_URL, {"worker": worker_id}).status_code == 403
    # Another organisation's admin cannot pick a worker of this one.
    foreign = client_for(personas.foreign_admin).post(MAKERS_URL, {"worker": worker_id}, follow=True)
    assert "Kies een sociaal werker uit de lijst." in foreign.content.decode()
    # A resident is no social worker.
    resident = client_for(personas.admin).post(MAKERS_URL, {"worker": str(personas.resident.public_id)}, follow=True)
    assert "Kies een sociaal werker uit de lijst." in resident.content.decode()
    assert not Author.objects.exists()
