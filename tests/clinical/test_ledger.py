"""The ledger's arithmetic: signs by kind, refusals, the 10-day report deadline, and the
invariant that a balance is receipts minus outflows and never negative."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.ledger import (
    INFLOWS,
    OUTFLOWS,
    EntryKind,
    check_movement,
    check_usable,
    loss_report_due,
    signed_quantity,
)


@pytest.mark.parametrize("kind", sorted(INFLOWS))
def test_inflows_add(kind: EntryKind) -> None:
    assert signed_quantity(kind, 40) == 40


@pytest.mark.parametrize("kind", sorted(OUTFLOWS))
def test_outflows_take_away(kind: EntryKind) -> None:
    assert signed_quantity(kind, 40) == -40


@pytest.mark.parametrize("kind", [EntryKind.COUNT_ADJUSTMENT, EntryKind.REVERSAL])
def test_adjustments_carry_their_own_sign(kind: EntryKind) -> None:
    with pytest.raises(ValueError, match="own sign"):
        signed_quantity(kind, 40)


@pytest.mark.parametrize(
    ("balance", "change", "code"),
    [
        (100, -100, None),
        (100, -101, "stock.short"),
        (0, -1, "stock.short"),
        (5, 0, "quantity.zero"),
    ],
)
def test_a_movement_may_empty_the_stock_but_not_overdraw_it(
    balance: int, change: int, code: str | None
) -> None:
    refusal = check_movement(balance, change)
    assert (refusal.code if refusal else None) == code


def test_an_expired_lot_is_unusable_from_the_day_after_expiry() -> None:
    assert check_usable(date(2026, 3, 31), date(2026, 3, 31)) is None
    refusal = check_usable(date(2026, 3, 31), date(2026, 4, 1))
    assert refusal is not None and refusal.code == "lot.expired"


def test_a_loss_is_reported_within_ten_days_of_discovery() -> None:
    discovered = datetime(2026, 5, 1, 16, 30, tzinfo=UTC)
    assert loss_report_due(discovered) == datetime(2026, 5, 11, 16, 30, tzinfo=UTC)


def replay(changes: list[int]) -> list[int]:
    """The running balance after each accepted change; refused changes leave it as it was."""
    balance, running = 0, []
    for change in changes:
        if check_movement(balance, change) is None:
            balance += change
        running.append(balance)
    return running


@given(st.lists(st.integers(min_value=-500, max_value=500), max_size=60))
def test_replayed_balances_never_go_negative_and_equal_accepted_changes(
    changes: list[int],
) -> None:
    running = replay(changes)
    assert all(balance >= 0 for balance in running)
    accepted = [
        c
        for c, before, after in zip(changes, [0, *running], running, strict=False)
        if after != before
    ]
    assert (running[-1] if running else 0) == sum(accepted)
