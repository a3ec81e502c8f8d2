"""Property: whatever sequence of receipts, administrations, waste, transfers, counts and
reversals staff attempt, each balance equals receipts minus outflows (as the ledger says)
and never goes negative; a movement is refused exactly when the stock is short."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kapclinic.register import counts, services
from kapclinic.register.errors import RegisterError
from kapclinic.register.models import Balance, LedgerEntry, Lot, Product
from kapclinic.register.posting import verify_balances
from tests.factories import PASSWORD

CLINICS, LOTS = ("montreal", "vancouver"), ("A", "B")
quantity = st.integers(min_value=1, max_value=400)
place = st.sampled_from(CLINICS)
lot_name = st.sampled_from(LOTS)
operation = st.one_of(
    st.tuples(st.just("receive"), place, lot_name, quantity),
    # Doses are whole sprays of the 10 mg/spray product.
    st.tuples(st.just("administer"), place, lot_name, st.integers(1, 40).map(lambda n: n * 10)),
    st.tuples(st.just("waste"), place, lot_name, quantity),
    st.tuples(st.just("transfer"), place, lot_name, quantity),
    st.tuples(st.just("count"), place, lot_name, st.integers(min_value=0, max_value=600)),
    st.tuples(st.just("reverse"), place, lot_name, st.integers(min_value=0, max_value=50)),
)


class Register:
    """Runs operations through the services and keeps the expected balances alongside."""

    def __init__(self, people: dict[str, Any], lots: dict[str, Lot]) -> None:
        self.people, self.lots = people, lots
        self.expected: dict[tuple[int, int], int] = defaultdict(int)

    def run(self, name: str, where: str, lot_key: str, n: int) -> None:
        clinic, lot = self.people[where], self.lots[lot_key]
        changes = getattr(self, name)(clinic, lot, n)
        if changes is None:
            return
        short = any(self.expected[key] + change < 0 for key, change in changes)
        try:
            with transaction.atomic():
                self.write(name, clinic, lot, n)
        except RegisterError as error:
            assert short, f"{name} refused with stock on hand: {error}"
            return
        assert not short, f"{name} accepted although stock was short"
        for key, change in changes:
            self.expected[key] += change

    def write(self, name: str, clinic: Any, lot: Lot, n: int) -> None:
        nurse, other = self.people["nurse"], self.people["vancouver"]
        if name == "receive":
            services.receive_stock(
                by=nurse, clinic=clinic, product=lot.product, lot_number=lot.number,
                expiry=lot.expiry, supplier="s", invoice="i", quantity_mg=n,
            )  # fmt: skip
        elif name == "administer":
            services.record_administration(
                by=nurse, clinic=clinic, lot=lot, quantity_mg=n, session_ref=n
            )
        elif name == "waste":
            services.record_waste(
                by=nurse, clinic=clinic, lot=lot, quantity_mg=n, reason="r",
                witness=self.people[f"witness_{clinic.pk}"], witness_password=PASSWORD,
            )  # fmt: skip
        elif name == "transfer":
            to = self.people["montreal"] if clinic == other else other
            services.transfer(by=nurse, clinic_from=clinic, clinic_to=to, lot=lot, quantity_mg=n)
        elif name == "count":
            counts.record_count(by=nurse, clinic=clinic, lot=lot, counted_mg=n)
        else:
            services.reverse_entry(by=nurse, entry=self.target, reason="correction")

    def receive(self, clinic: Any, lot: Lot, n: int) -> list[tuple[tuple[int, int], int]]:
        return [((clinic.pk, lot.pk), n)]

    def administer(self, clinic: Any, lot: Lot, n: int) -> list[tuple[tuple[int, int], int]]:
        return [((clinic.pk, lot.pk), -n)]

    waste = administer

    def transfer(self, clinic: Any, lot: Lot, n: int) -> list[tuple[tuple[int, int], int]]:
        to = (
            self.people["montreal"]
            if clinic == self.people["vancouver"]
            else self.people["vancouver"]
        )
        return [((clinic.pk, lot.pk), -n), ((to.pk, lot.pk), n)]

    def count(self, clinic: Any, lot: Lot, n: int) -> list[tuple[tuple[int, int], int]]:
        return [((clinic.pk, lot.pk), n - self.expected[(clinic.pk, lot.pk)])]

    def reverse(self, clinic: Any, lot: Lot, n: int) -> list[tuple[tuple[int, int], int]] | None:
        candidates = list(
            LedgerEntry.objects.filter(
                reversed_by__isnull=True,
                kind__in=["receipt", "administration", "waste", "transfer_out"],
            ).order_by("id")
        )
        if not candidates:
            return None
        self.target = candidates[n % len(candidates)]
        legs = [self.target]
        if self.target.transfer_ref:
            legs = list(LedgerEntry.objects.filter(transfer_ref=self.target.transfer_ref))
        return [((leg.clinic_id, leg.lot_id), -leg.quantity_mg) for leg in legs]


@pytest.fixture
def people(network: dict[str, Any]) -> dict[str, Any]:
    from tests.factories import UserFactory

    witnesses = {
        f"witness_{network[c].pk}": UserFactory(role="physician", clinics=[network[c]])
        for c in CLINICS
    }
    network["nurse"].clinics.add(network["vancouver"])
    return {**network, **witnesses}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=25))
def test_any_sequence_keeps_balance_equal_to_the_ledger_and_never_negative(
    people: dict[str, Any], product: Product, operations: list[tuple[str, str, str, int]]
) -> None:
    with transaction.atomic():
        expiry = date.today() + timedelta(days=400)
        lots = {
            key: Lot.objects.create(product=product, number=key, expiry=expiry, supplier="s")
            for key in LOTS
        }
        register = Register(people, lots)
        for step in operations:
            register.run(*step)
            stored = {(b.clinic_id, b.lot_id): b.quantity_mg for b in Balance.objects.all()}
            assert all(value >= 0 for value in stored.values())
            assert {k: v for k, v in stored.items() if v} == {
                k: v for k, v in register.expected.items() if v
            }
            assert verify_balances() == []
        transaction.set_rollback(True)
