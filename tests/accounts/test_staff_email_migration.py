"""Staff made before admin-created addresses were verified can enrol MFA after the data migration
(accounts 0003; issue 11, item 6)."""

import importlib
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps

from kapclinic.accounts.roles import Role
from tests.factories import UserFactory

migration = importlib.import_module("kapclinic.accounts.migrations.0003_staff_emails_verified")


def test_staff_addresses_become_verified_and_others_are_left_alone(db: None) -> None:
    without = UserFactory(role=Role.NURSE)
    unverified = UserFactory(role=Role.CLINIC_ADMIN)
    EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    patient = UserFactory(role=Role.PATIENT)
    EmailAddress.objects.create(user=patient, email=patient.email, primary=True)

    migration.verify_staff_addresses(apps, None)

    def state(user: Any) -> list[tuple[str, bool, bool]]:
        return list(user.emailaddress_set.values_list("email", "verified", "primary"))

    assert state(without) == [(without.email, True, True)]
    assert state(unverified) == [(unverified.email, True, True)]
    assert state(patient) == [(patient.email, False, True)]
    migration.verify_staff_addresses(apps, None)  # a second run changes nothing
    assert state(without) == [(without.email, True, True)]
