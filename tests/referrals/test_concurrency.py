"""On PostgreSQL, two coordinators log the first contact at once: one transition, two attempts."""

import threading
from typing import Any

import pytest
from django.db import connection

from kapclinic.referrals.models import ContactAttempt, ReferralStatusChange, Status
from kapclinic.referrals.services import record_contact_attempt, save_referral
from tests.factories import ClinicFactory, ReferrerFactory, UserFactory, referral_input


@pytest.mark.postgres
def test_simultaneous_first_contacts_make_one_transition(transactional_db: None) -> None:
    ClinicFactory()
    referrer = ReferrerFactory()
    referral = save_referral(
        by=referrer.user, referrer=referrer, details=referral_input(), attachments=[], submit=True
    )
    coordinators = [UserFactory(role="intake"), UserFactory(role="intake")]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def log_call(user: Any) -> None:
        try:
            barrier.wait()
            record_contact_attempt(
                by=user, referral_id=referral.pk, method="phone", outcome="reached"
            )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=log_call, args=(user,)) for user in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    referral.refresh_from_db()
    assert referral.status == Status.CONTACTED
    assert ContactAttempt.objects.filter(referral=referral).count() == 2
    assert (
        ReferralStatusChange.objects.filter(referral=referral, to_status=Status.CONTACTED).count()
        == 1
    )
