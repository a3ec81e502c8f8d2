"""The database itself refuses to change or delete ledger entries and counts."""

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from kapclinic.register.counts import record_count
from kapclinic.register.models import LedgerEntry, Lot


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE register_ledgerentry SET quantity_mg = 5000",
        "DELETE FROM register_ledgerentry",
        "UPDATE register_count SET counted_mg = 0",
        "DELETE FROM register_count",
    ],
)
def test_the_database_refuses_to_rewrite_the_register(
    statement: str, network: dict[str, Any], lot: Lot
) -> None:
    record_count(by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=1000)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement)
    assert LedgerEntry.objects.get().quantity_mg == 1000


def test_the_orm_cannot_edit_an_entry_either(lot: Lot) -> None:
    entry = LedgerEntry.objects.get()
    entry.quantity_mg = 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
