from conftest import Personas, client_for


def test_worker_sees_caseload(personas: Personas) -> None:
    response = client_for(personas.worker).get("/werk/")
    assert response.status_code == 200
    assert personas.resident.last_name in response.content.decode()
