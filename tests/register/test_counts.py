"""Physical counts: a match changes nothing; a difference reconciles the ledger to the shelf
and opens a discrepancy whose loss or theft report is due 10 days after discovery."""

from datetime import timedelta
from typing import Any

import pytest

from kapclinic.audit.models import AuditEvent
from kapclinic.register.counts import mark_discrepancy_reported, record_count
from kapclinic.register.errors import RegisterError
from kapclinic.register.models import Balance, Discrepancy, DiscrepancyKind, LedgerEntry, Lot


def test_a_count_that_matches_opens_nothing(network: dict[str, Any], lot: Lot) -> None:
    count = record_count(by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=1000)
    assert (count.expected_mg, count.difference_mg, count.adjustment) == (1000, 0, None)
    assert not Discrepancy.objects.exists()
    assert AuditEvent.objects.filter(object_type="register.count").count() == 1


def test_a_shortfall_reconciles_the_ledger_and_opens_a_discrepancy_due_in_ten_days(
    network: dict[str, Any], lot: Lot
) -> None:
    count = record_count(
        by=network["nurse"],
        clinic=network["montreal"],
        lot=lot,
        counted_mg=940,
        kind=DiscrepancyKind.THEFT,
        explanation="Cabinet found unlocked",
    )
    assert count.adjustment.kind == "count_adjustment" and count.adjustment.quantity_mg == -60
    assert Balance.objects.get(clinic=network["montreal"], lot=lot).quantity_mg == 940
    discrepancy = count.discrepancy
    assert (discrepancy.kind, discrepancy.missing_mg, discrepancy.needs_report) == (
        "theft",
        60,
        True,
    )
    assert discrepancy.report_due == discrepancy.discovered_at + timedelta(days=10)
    assert AuditEvent.objects.filter(object_type="register.discrepancy").count() == 1


def test_a_surplus_is_investigated_but_not_reported(network: dict[str, Any], lot: Lot) -> None:
    count = record_count(by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=1010)
    assert count.discrepancy.missing_mg == -10 and not count.discrepancy.needs_report
    with pytest.raises(RegisterError, match="surplus is not reported"):
        mark_discrepancy_reported(by=network["physician"], discrepancy_id=count.discrepancy.pk)


def test_a_report_is_marked_sent_once(network: dict[str, Any], lot: Lot) -> None:
    count = record_count(by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=900)
    reported = mark_discrepancy_reported(
        by=network["physician"], discrepancy_id=count.discrepancy.pk
    )
    assert reported.reported_at is not None and reported.reported_by == network["physician"]
    with pytest.raises(RegisterError, match="already sent"):
        mark_discrepancy_reported(by=network["physician"], discrepancy_id=count.discrepancy.pk)


def test_a_negative_count_is_refused(network: dict[str, Any], lot: Lot) -> None:
    with pytest.raises(RegisterError, match="cannot be negative"):
        record_count(by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=-1)
    assert LedgerEntry.objects.count() == 1
