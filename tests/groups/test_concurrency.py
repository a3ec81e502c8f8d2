"""On PostgreSQL, eight coordinators fill a group of three at once: exactly three get in."""

import threading
from typing import Any

import pytest
from django.db import connection

from kapclinic.groups.models import Membership
from kapclinic.groups.services import GroupFull, NewGroup, join_group, open_group
from tests.factories import ClinicFactory, UserFactory
from tests.groups.conftest import finished_patients


@pytest.mark.postgres
def test_concurrent_enrolment_never_overfills_a_group(transactional_db: None) -> None:
    clinic = ClinicFactory()
    physician = UserFactory(role="physician", clinics=[clinic])
    therapist = UserFactory(role="therapist", clinics=[clinic])
    group = open_group(
        by=physician,
        group=NewGroup(clinic=clinic, name="Circle", facilitator=therapist, capacity=3),
    )
    patients = finished_patients(clinic, physician, 8)
    barrier = threading.Barrier(len(patients))
    full: list[int] = []
    errors: list[BaseException] = []

    def enrol(patient: Any) -> None:
        try:
            barrier.wait()
            join_group(by=physician, group_id=group.pk, patient=patient)
        except GroupFull:
            full.append(patient.pk)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Membership.objects.filter(group=group, left_at__isnull=True).count() == 3
    assert len(full) == 5
