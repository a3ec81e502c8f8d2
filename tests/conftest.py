"""Shared test set-up: the database choice, CI strictness, the audit switch, actors."""

import itertools
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from kapclinic.audit.maintenance import set_audit_maintenance

pytest_plugins = ["tests.security_catalogue"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """On a laptop a missing service skips the test; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set KAPCLINIC_TEST_DATABASE_URL")
    if request.node.get_closest_marker("redis") and not uses_shared_cache():
        skip_or_fail("needs Redis: set KAPCLINIC_CACHE_URL=redis://127.0.0.1:6379/0")


# Keys of this run (and of each test in it) never meet another run's on a shared Redis server.
CACHE_RUN_PREFIX = f"kapclinic-test-{uuid.uuid4().hex[:12]}"
_cache_tests = itertools.count()


@pytest.fixture(autouse=True)
def _private_cache(settings: Any) -> None:
    """Each test starts with an empty cache (rate limits, lockouts, used TOTP codes) of its own."""
    default = settings.CACHES["default"]
    prefix = f"{CACHE_RUN_PREFIX}-{next(_cache_tests)}"
    settings.CACHES = {"default": {**default, "KEY_PREFIX": prefix}}


def uses_shared_cache() -> bool:
    """True when the cache is a server every process shares (Redis), as in production."""
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request as a French-speaking user leaves French active in the test's thread (as Django's
    own LocaleMiddleware does); the next test starts in English again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_audit_anchor(settings: Any, tmp_path: Any) -> None:
    """Each test's chain has its own anchor file (the database rolls back; a file would not)."""
    settings.AUDIT_ANCHOR = tmp_path / "audit-anchor.json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow by design; tests that check hashing ask for it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def transactional_db(transactional_db: None) -> Iterator[None]:
    """Like pytest-django's, but lets the teardown flush empty the append-only audit tables."""
    set_audit_maintenance(connection, False)
    yield
    set_audit_maintenance(connection, True)


@pytest.fixture
def seal() -> Any:
    """Seal pending audit events now (on-commit hooks never run inside a test transaction)."""
    from kapclinic.audit.chain import seal_pending

    return seal_pending


AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@pytest.fixture
def login() -> Any:
    """Sign a user in on a test client (as allauth would, past MFA)."""

    def sign_in(client: Any, user: Any) -> Any:
        client.force_login(user, backend=AUTH_BACKEND)
        return client

    return sign_in


@pytest.fixture
def network(db: None) -> dict[str, Any]:
    """Two clinics with a staff member of every role, patients A and B, therapists T1 and T2."""
    from kapclinic.accounts.roles import Role
    from kapclinic.patients.models import CareRole
    from tests.factories import (
        CareTeamMemberFactory,
        ClinicFactory,
        PatientFactory,
        ReferralFactory,
        ReferrerFactory,
        UserFactory,
        jurisdiction,
    )

    montreal = ClinicFactory(name="Montréal")
    vancouver = ClinicFactory(
        name="Vancouver",
        jurisdiction=jurisdiction("BC"),
        time_zone="America/Vancouver",
    )
    people: dict[str, Any] = {"montreal": montreal, "vancouver": vancouver}
    for role in Role:
        if role in (Role.PATIENT, Role.REFERRER):
            continue
        people[role.value] = UserFactory(role=role, clinics=[montreal], full_name=f"{role.label}")
    people["therapist_2"] = UserFactory(role=Role.THERAPIST, clinics=[montreal])
    people["no_role"] = UserFactory(role="", clinics=[montreal])
    people["referrer"] = UserFactory(role=Role.REFERRER)
    people["patient_a"] = PatientFactory(
        clinic=montreal, legal_given_name="Canary", legal_family_name="Zzyzx-Patient"
    )
    people["patient_b"] = PatientFactory(clinic=vancouver, legal_given_name="Other")
    people["patient_user"] = UserFactory(role=Role.PATIENT)
    people["patient_a"].user = people["patient_user"]
    people["patient_a"].save()
    CareTeamMemberFactory(patient=people["patient_a"], user=people["therapist"])
    CareTeamMemberFactory(
        patient=people["patient_a"], user=people["referrer"], care_role=CareRole.REFERRER
    )
    people["referrer_profile"] = ReferrerFactory(user=people["referrer"])
    people["referral"] = ReferralFactory(
        clinic=montreal, referrer=people["referrer_profile"], patient=people["patient_a"]
    )
    return people
