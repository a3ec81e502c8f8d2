"""The shell: health check, language switch that sticks to the user, home by role."""

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse


def test_healthz_is_ok_with_the_database(client: Any, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client: Any, db: None) -> None:
    with mock.patch("kapclinic.web.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_language_choice_persists_for_the_user(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    nurse = network["nurse"]
    client = login(client, nurse)
    client.post(reverse("web:language"), {"language": "fr", "next": "/"})
    nurse.refresh_from_db()
    assert nurse.language == "fr"
    client.cookies.clear()
    login(client, nurse)
    assert "Bienvenue" in client.get("/").content.decode()


def test_the_language_switch_refuses_foreign_redirects(client: Any, db: None) -> None:
    response = client.post(
        reverse("web:language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_user_without_a_role_sees_nothing(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    html = login(client, network["no_role"]).get("/").content.decode()
    assert "Your account has no role yet" in html
    assert reverse("patients:search") not in html


def test_the_coordinator_lands_on_a_page_with_patients(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    html = login(client, network["intake"]).get("/").content.decode()
    assert reverse("patients:search") in html


# The home page of each role: its menu only, a fixed number of queries.
HOME_QUERIES = {
    "intake": 2,
    "physician": 2,
    "nurse": 2,
    "therapist": 2,
    "billing": 2,
    "clinic_admin": 2,
    "privacy_officer": 2,
    "referrer": 2,
    "patient_user": 2,
}


@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_the_home_page_of_each_role_pins_its_queries(
    role: str, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    client = login(client, network[role])
    with django_assert_num_queries(HOME_QUERIES[role]):
        page = client.get(reverse("web:home"))
    assert page.status_code in (200, 302)
