"""Cents, half up, per line; never a float."""

from decimal import Decimal

import pytest

from kapclinic.billing.money import Rate, cents, money, taxes_on

GST = Rate("GST", Decimal("0.05"), "GST", "TPS")
QST = Rate("QST", Decimal("0.09975"), "QST", "TVQ")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("10", "10.00"),
    ],
)
def test_cents_round_half_up(amount: str, expected: str) -> None:
    assert cents(Decimal(amount)) == Decimal(expected)


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        cents(0.1)  # type: ignore[arg-type]


def test_gst_and_qst_are_computed_and_rounded_separately() -> None:
    # 650.00 x 9.975 % = 64.8375 -> 64.84; 650.00 x 5 % = 32.50
    gst, qst = taxes_on(Decimal("650.00"), (GST, QST))
    assert (gst.amount, qst.amount) == (Decimal("32.50"), Decimal("64.84"))


def test_money_reads_as_each_language_writes_it() -> None:
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("1234.5"), "fr") == "1\u00a0234,50\u00a0$"
