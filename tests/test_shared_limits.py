"""Rate limits and lockouts hold across workers: their counters live in the shared cache (Redis),
taken atomically, so parallel requests on several processes cannot each get a fresh allowance.

Forked processes stand for gunicorn workers (each had its own memory cache before), threads with
their own database connections for parallel requests."""

import multiprocessing
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.core import context
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory

from kapclinic.referrals.self_referral import allow_attempt
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import Product, ProductForm
from kapclinic.register.services import receive_stock, record_waste
from tests.factories import ClinicFactory, UserFactory

WORKERS = 4


def in_workers(target: Any, arguments: list[tuple[Any, ...]]) -> list[Any]:
    """Run target(*args) for each tuple in its own forked process, all at once."""
    with multiprocessing.get_context("fork").Pool(len(arguments)) as pool:
        return pool.starmap(target, arguments)


def _book_five(address: str) -> int:
    return sum(allow_attempt(address) for _ in range(settings.SELF_REFERRAL_PER_HOUR))


@pytest.mark.redis
def test_the_self_referral_limit_is_one_allowance_for_all_workers() -> None:
    accepted = in_workers(_book_five, [("203.0.113.9",)] * WORKERS)
    assert sum(accepted) == settings.SELF_REFERRAL_PER_HOUR  # was 20 with 4 workers


def _validate(authenticator: Authenticator, code: str) -> bool:
    return TOTP(authenticator).validate_code(code)


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(decrypt(secret), counter))


@pytest.mark.redis
def test_a_totp_code_is_accepted_once_across_workers(db: None) -> None:
    user = UserFactory(role="nurse")
    authenticator = TOTP.activate(user, "JBSWY3DPEHPK3PXP").instance
    code = _current_code(authenticator.data["secret"])
    accepted = in_workers(_validate, [(authenticator, code)] * WORKERS)
    assert sum(accepted) == 1


def _wrong_code_from(user_pk: int, address: str) -> bool:
    request = RequestFactory().post("/accounts/2fa/authenticate/", REMOTE_ADDR=address)
    user = type("Someone", (), {"pk": user_pk})()
    with context.request_context(request):
        try:
            check_rate_limit(user)
        except ValidationError:
            return False
    return True


@pytest.mark.redis
def test_totp_failures_are_limited_per_account_whatever_the_address_or_worker() -> None:
    addresses = [(42, f"198.51.100.{n}") for n in range(2 * WORKERS)]
    checked = in_workers(_wrong_code_from, addresses)
    assert sum(checked) == settings.AXES_FAILURE_LIMIT


PARALLEL_CHECKS = 15


@pytest.mark.postgres
@pytest.mark.redis
def test_parallel_witness_password_guesses_are_checked_at_most_the_limit(
    transactional_db: None,
) -> None:
    clinic = ClinicFactory()
    nurse = UserFactory(role="nurse", clinics=[clinic])
    witness = UserFactory(role="physician", clinics=[clinic])
    product = Product.objects.create(
        name="Ketamine RDT", form=ProductForm.RAPID_DISSOLVING_TABLET, strength_mg=100, unit="tab"
    )
    lot = receive_stock(
        by=nurse, clinic=clinic, product=product, lot_number="W-1",
        expiry=date.today() + timedelta(days=200), supplier="s", invoice="i", quantity_mg=1000,
    ).lot  # fmt: skip
    barrier = threading.Barrier(PARALLEL_CHECKS)
    codes: list[str] = []

    def guess(number: int) -> None:
        try:
            barrier.wait()
            record_waste(
                by=nurse, clinic=clinic, lot=lot, quantity_mg=10, witness=witness,
                witness_password=f"guess-{number}", reason="spilled",
            )  # fmt: skip
        except RegisterError as refusal:
            codes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(PARALLEL_CHECKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes.count(RegisterCode.WITNESS_PASSWORD_WRONG) == settings.AXES_FAILURE_LIMIT  # was 15
    assert codes.count(RegisterCode.WITNESS_LOCKED) == PARALLEL_CHECKS - settings.AXES_FAILURE_LIMIT
