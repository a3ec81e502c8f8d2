"""Finding patients: by name, birth date or health number; scoped by role; each result audited."""

from datetime import date
from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.patients.selectors import search_patients
from tests.factories import PatientFactory


@pytest.fixture
def marie(network: dict[str, Any]) -> Any:
    return PatientFactory(
        clinic=network["montreal"],
        legal_given_name="Marie",
        legal_family_name="Lavoie",
        preferred_name="Mimi",
        date_of_birth=date(1990, 1, 2),
        health_number_province="QC",
        health_number="LAVM90510212",
    )


@pytest.mark.parametrize(
    "query", ["Lavoie", "lavoie marie", "Mimi", "1990-01-02", "LAVM 9051 0212", "lavm90510212"]
)
def test_search_finds_by_name_birth_date_or_health_number(
    query: str, marie: Any, network: dict[str, Any]
) -> None:
    assert search_patients(by=network["intake"], query=query) == [marie]


def test_search_logs_one_event_naming_the_patients_shown(
    marie: Any, network: dict[str, Any]
) -> None:
    PatientFactory(clinic=network["montreal"], legal_family_name="Lavoie")
    shown = search_patients(by=network["nurse"], query="Lavoie")
    event = AuditEvent.objects.get(action=Action.SEARCH)
    assert (event.patient, event.actor, event.detail) == (
        None,
        network["nurse"],
        {"list": "patient_search", "query": "Lavoie", "patients": sorted(p.pk for p in shown)},
    )
    assert len(shown) == 2


def test_a_search_that_finds_nobody_writes_no_event(network: dict[str, Any]) -> None:
    assert search_patients(by=network["nurse"], query="Nobody-By-That-Name") == []
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


def test_a_nonsense_date_finds_nothing_rather_than_failing(network: dict[str, Any]) -> None:
    assert search_patients(by=network["intake"], query="1990-02-31") == []


@pytest.mark.parametrize(
    ("actor", "sees_a"),
    [
        ("intake", True),
        ("therapist", True),
        ("therapist_2", False),
        ("no_role", False),
        ("privacy_officer", False),
    ],
)
def test_search_is_scoped_to_what_the_role_may_see(
    actor: str, sees_a: bool, network: dict[str, Any]
) -> None:
    found = search_patients(by=network[actor], query="Zzyzx-Patient")
    assert (found == [network["patient_a"]]) is sees_a


def test_other_clinics_patients_are_not_found(network: dict[str, Any]) -> None:
    assert search_patients(by=network["intake"], query="Other") == []
