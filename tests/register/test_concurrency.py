"""On PostgreSQL: 50 nurses give a dose from one lot at the same instant, with stock for 40.
Exactly 40 doses are written, 10 are refused with the short-stock reason, the balance is 0."""

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from kapclinic.audit.models import AuditEvent
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import Balance, LedgerEntry, Product, ProductForm
from kapclinic.register.posting import verify_balances
from kapclinic.register.services import receive_stock, record_administration
from tests.factories import ClinicFactory, UserFactory

ATTEMPTS, DOSE_MG, STOCK_FOR = 50, 100, 40


@pytest.mark.postgres
def test_fifty_concurrent_administrations_with_stock_for_forty(
    transactional_db: None, security_figures: Any
) -> None:
    clinic = ClinicFactory()
    nurse = UserFactory(role="nurse", clinics=[clinic])
    product = Product.objects.create(
        name="Ketamine RDT",
        form=ProductForm.RAPID_DISSOLVING_TABLET,
        strength_mg=100,
        unit="tablet",
    )
    lot = receive_stock(
        by=nurse, clinic=clinic, product=product, lot_number="C-50",
        expiry=date.today() + timedelta(days=200), supplier="s", invoice="i",
        quantity_mg=STOCK_FOR * DOSE_MG,
    ).lot  # fmt: skip
    barrier = threading.Barrier(ATTEMPTS)
    refusals: list[RegisterError] = []
    errors: list[BaseException] = []

    def give(session: int) -> None:
        try:
            barrier.wait()
            record_administration(
                by=nurse, clinic=clinic, lot=lot, quantity_mg=DOSE_MG, session_ref=session
            )
        except RegisterError as refusal:
            refusals.append(refusal)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=give, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    given = LedgerEntry.objects.filter(lot=lot, kind="administration")
    balance = Balance.objects.get(clinic=clinic, lot=lot).quantity_mg
    security_figures(
        "withdrawals",
        attempts=ATTEMPTS,
        accepted=given.count(),
        rejected=len(refusals),
        errors_5xx=len(errors),
        balance_discrepancy=abs(STOCK_FOR * DOSE_MG - given.count() * DOSE_MG - balance),
    )
    assert given.count() == STOCK_FOR
    assert len(refusals) == ATTEMPTS - STOCK_FOR
    assert {r.code for r in refusals} == {RegisterCode.STOCK_SHORT}
    assert all("holds 0 mg" in r.message for r in refusals)
    assert Balance.objects.get(clinic=clinic, lot=lot).quantity_mg == 0
    assert sorted(given.values_list("balance_after_mg", flat=True)) == [
        DOSE_MG * n for n in range(STOCK_FOR)
    ]
    assert verify_balances() == []
    assert AuditEvent.objects.filter(detail__kind="administration").count() == STOCK_FOR
