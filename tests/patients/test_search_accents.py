"""Patient search ignores accents and case, the same on SQLite and PostgreSQL."""

from typing import Any

import pytest
from django.db import connection

from kapclinic.patients.models import Patient
from kapclinic.patients.selectors import search_patients
from tests.factories import PatientFactory

QUERIES = ["Belanger", "helene", "BÉLANGER", "hélène bélanger", "HELENE belanger", "Lene"]


@pytest.fixture
def helene(network: dict[str, Any]) -> Any:
    return PatientFactory(
        clinic=network["montreal"], legal_given_name="Hélène", legal_family_name="Bélanger"
    )


def _finds(network: dict[str, Any], helene: Any) -> None:
    for query in QUERIES:
        assert search_patients(by=network["intake"], query=query) == [helene], query
    assert search_patients(by=network["intake"], query="Belangers") == []


def test_search_ignores_accents_and_case(helene: Any, network: dict[str, Any]) -> None:
    _finds(network, helene)


@pytest.mark.postgres
def test_search_ignores_accents_and_case_on_postgresql(
    helene: Any, network: dict[str, Any]
) -> None:
    assert connection.vendor == "postgresql"
    _finds(network, helene)


def test_a_renamed_patient_is_found_by_the_new_name(helene: Any, network: dict[str, Any]) -> None:
    helene.legal_family_name = "Côté"
    helene.save(update_fields=["legal_family_name"])
    assert search_patients(by=network["intake"], query="cote") == [helene]
    assert search_patients(by=network["intake"], query="belanger") == []


def test_the_migration_fills_the_key_of_existing_patients(helene: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    Patient.objects.filter(pk=helene.pk).update(search_key="")
    import_module("kapclinic.patients.migrations.0002_patient_search_key").fill_search_keys(
        apps, None
    )
    assert Patient.objects.get(pk=helene.pk).search_key == "helene belanger"
