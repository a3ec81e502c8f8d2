"""`kapclinic register verify` finds a balance that no longer matches its ledger."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kapclinic.register.models import Balance, Lot


def test_verify_passes_then_names_a_tampered_balance(network: dict[str, Any], lot: Lot) -> None:
    out = StringIO()
    call_command("register", "verify", stdout=out)
    assert "Register OK: 1 balances match the ledger." in out.getvalue()
    Balance.objects.filter(lot=lot).update(quantity_mg=990)
    err = StringIO()
    with pytest.raises(CommandError, match="1 balances differ"):
        call_command("register", "verify", stderr=err)
    assert "stored 990 mg, ledger 1000 mg" in err.getvalue()
