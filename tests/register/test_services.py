"""Receipts, administrations, witnessed waste, transfers and reversals: each refusal a
person would meet, the balance each leaves, and the audit event each writes."""

from datetime import date, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.audit.services import record_event
from kapclinic.clinical.ledger import EntryKind
from kapclinic.errors import NotPermitted
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import Balance, LedgerEntry, Lot
from kapclinic.register.posting import verify_balances
from kapclinic.register.services import (
    record_administration,
    record_waste,
    reverse_entry,
    transfer,
)
from kapclinic.register.witness import recent_failures
from tests.factories import PASSWORD, UserFactory


def on_hand(clinic: Any, lot: Lot) -> int:
    return Balance.objects.get(clinic=clinic, lot=lot).quantity_mg


def test_a_receipt_creates_the_lot_adds_stock_and_is_audited(
    network: dict[str, Any], receive: Any
) -> None:
    entry = receive(quantity_mg=1500, invoice="INV-77")
    assert (entry.kind, entry.quantity_mg, entry.balance_after_mg) == ("receipt", 1500, 1500)
    assert entry.reference == "INV-77" and entry.lot.supplier == "Compounding pharmacy"
    event = AuditEvent.objects.get(object_type="register.ledgerentry", object_id=str(entry.pk))
    assert event.action == Action.CREATE and event.actor == network["clinic_admin"]
    assert event.detail == {"kind": "receipt", "quantity_mg": 1500, "invoice": "INV-77"}


def test_an_expired_lot_is_not_received(receive: Any) -> None:
    with pytest.raises(RegisterError, match="expired") as refused:
        receive(expiry=date.today() - timedelta(days=1))
    assert refused.value.code == RegisterCode.LOT_EXPIRED
    assert not LedgerEntry.objects.exists()


def test_a_second_receipt_of_a_lot_must_carry_the_same_expiry(lot: Lot, receive: Any) -> None:
    with pytest.raises(RegisterError, match="check the label") as refused:
        receive(expiry=lot.expiry + timedelta(days=30))
    assert refused.value.code == RegisterCode.LOT_EXPIRY_MISMATCH


def test_a_receipt_of_nothing_is_refused(receive: Any) -> None:
    with pytest.raises(RegisterError, match="at least 1 mg"):
        receive(quantity_mg=0)


def test_an_administration_takes_the_dose_and_names_the_session(
    network: dict[str, Any], lot: Lot
) -> None:
    entry = record_administration(
        by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=150, session_ref=42
    )
    assert (entry.quantity_mg, entry.balance_after_mg, entry.session_ref) == (-150, 850, "42")
    assert on_hand(network["montreal"], lot) == 850
    event = AuditEvent.objects.get(object_type="register.ledgerentry", object_id=str(entry.pk))
    assert event.detail["session_ref"] == "42"


def test_a_short_stock_is_refused_clearly_and_nothing_is_written(
    network: dict[str, Any], lot: Lot
) -> None:
    with pytest.raises(RegisterError) as refused:
        record_administration(
            by=network["nurse"],
            clinic=network["montreal"],
            lot=lot,
            quantity_mg=1010,
            session_ref=1,
        )
    assert refused.value.code == RegisterCode.STOCK_SHORT
    assert "holds 1000 mg" in refused.value.message and "1010 mg cannot be taken out" in str(
        refused.value
    )
    assert on_hand(network["montreal"], lot) == 1000
    assert LedgerEntry.objects.count() == 1


def test_an_expired_lot_is_never_given(network: dict[str, Any], lot: Lot) -> None:
    with (
        freeze_time(lot.expiry + timedelta(days=2)),
        pytest.raises(RegisterError, match="it cannot be given") as refused,
    ):
        record_administration(
            by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=50, session_ref=1
        )
    assert refused.value.code == RegisterCode.LOT_EXPIRED


def test_only_a_physician_or_nurse_gives_a_dose(network: dict[str, Any], lot: Lot) -> None:
    with pytest.raises(NotPermitted):
        record_administration(
            by=network["clinic_admin"],
            clinic=network["montreal"],
            lot=lot,
            quantity_mg=50,
            session_ref=1,
        )


def waste(network: dict[str, Any], lot: Lot, **overrides: Any) -> LedgerEntry:
    fields = {
        "by": network["nurse"],
        "clinic": network["montreal"],
        "lot": lot,
        "quantity_mg": 20,
        "witness": network["physician"],
        "witness_password": PASSWORD,
        "reason": "Remainder of a dose, denatured",
    }
    return record_waste(**{**fields, **overrides})


def test_waste_is_co_signed_by_a_re_authenticated_witness(
    network: dict[str, Any], lot: Lot
) -> None:
    entry = waste(network, lot)
    assert (entry.kind, entry.quantity_mg, entry.witness) == ("waste", -20, network["physician"])
    destroyed = waste(network, lot, destruction=True, quantity_mg=100, reason="Expired")
    assert destroyed.kind == EntryKind.DESTRUCTION and destroyed.balance_after_mg == 880
    event = AuditEvent.objects.get(object_id=str(destroyed.pk), object_type="register.ledgerentry")
    assert event.detail["witness"] == network["physician"].email


@pytest.mark.parametrize(
    ("witness", "password", "code", "message"),
    [
        (None, PASSWORD, RegisterCode.WITNESS_MISSING, "A witness must co-sign."),
        (
            "nurse",
            PASSWORD,
            RegisterCode.WITNESS_SELF,
            "The witness must be a different staff member.",
        ),
        (
            "therapist",
            PASSWORD,
            RegisterCode.WITNESS_ROLE,
            "Only a physician or a nurse may witness",
        ),
        ("elsewhere", PASSWORD, RegisterCode.WITNESS_CLINIC, "The witness does not work at"),
        (
            "physician",
            "wrong-password",
            RegisterCode.WITNESS_PASSWORD_WRONG,
            "password is not correct",
        ),
    ],
)
def test_the_witness_must_be_another_present_health_professional(
    network: dict[str, Any],
    lot: Lot,
    witness: str | None,
    password: str,
    code: RegisterCode,
    message: str,
) -> None:
    people = {**network, "elsewhere": UserFactory(role="nurse", clinics=[network["vancouver"]])}
    with pytest.raises(RegisterError, match=message) as refused:
        waste(network, lot, witness=people[witness] if witness else None, witness_password=password)
    assert refused.value.code == code
    assert on_hand(network["montreal"], lot) == 1000


def test_a_wrong_witness_password_counts_towards_the_lockout_whoever_calls(
    network: dict[str, Any], lot: Lot
) -> None:
    with pytest.raises(RegisterError, match="password is not correct"):
        waste(network, lot, witness_password="guess")
    failed = AuditEvent.objects.get(action=Action.WITNESS_PASSWORD_FAILED)
    assert failed.detail == {"witness": network["physician"].email}
    assert recent_failures(network["physician"]) == 1
    assert not LedgerEntry.objects.filter(kind="waste").exists()


def test_the_lockout_counts_wrong_witness_passwords_of_the_account_and_nothing_else(
    network: dict[str, Any], lot: Lot
) -> None:
    """By the event's action and target: a failed sign-in is not a witness failure, another
    witness's failure is not this one's, and a new email does not clear the count."""
    witness = network["physician"]
    record_event(actor=None, action=Action.LOGIN_FAILED, outcome=Outcome.FAILURE, target=witness)
    assert recent_failures(witness) == 0
    with pytest.raises(RegisterError, match="password is not correct"):
        waste(network, lot, witness_password="guess")
    other = UserFactory(role="physician", clinics=[network["montreal"]])
    with pytest.raises(RegisterError, match="password is not correct"):
        waste(network, lot, witness=other, witness_password="guess")
    witness.email = "renamed.physician@example.test"
    witness.save()
    assert recent_failures(witness) == 1


def test_waste_needs_a_reason_and_a_handler(network: dict[str, Any], lot: Lot) -> None:
    with pytest.raises(RegisterError, match="Say why"):
        waste(network, lot, reason="  ")
    with pytest.raises(NotPermitted):
        waste(network, lot, by=network["clinic_admin"])


def test_a_transfer_moves_stock_between_clinics_in_two_linked_entries(
    network: dict[str, Any], lot: Lot
) -> None:
    out, into = transfer(
        by=network["clinic_admin"],
        clinic_from=network["montreal"],
        clinic_to=network["vancouver"],
        lot=lot,
        quantity_mg=400,
    )
    assert (out.quantity_mg, into.quantity_mg) == (-400, 400)
    assert out.transfer_ref == into.transfer_ref and out.reference == "Vancouver"
    assert on_hand(network["montreal"], lot) == 600
    assert on_hand(network["vancouver"], lot) == 400


def test_a_transfer_refused_for_short_stock_writes_neither_leg(
    network: dict[str, Any], lot: Lot
) -> None:
    with pytest.raises(RegisterError, match="Not enough stock"):
        transfer(
            by=network["clinic_admin"],
            clinic_from=network["montreal"],
            clinic_to=network["vancouver"],
            lot=lot,
            quantity_mg=1200,
        )
    assert LedgerEntry.objects.count() == 1
    assert not Balance.objects.filter(clinic=network["vancouver"]).exclude(quantity_mg=0).exists()
    with pytest.raises(RegisterError, match="another clinic"):
        transfer(
            by=network["clinic_admin"],
            clinic_from=network["montreal"],
            clinic_to=network["montreal"],
            lot=lot,
            quantity_mg=10,
        )


def test_a_reversal_cancels_an_entry_which_stays_in_the_ledger(
    network: dict[str, Any], lot: Lot
) -> None:
    given = record_administration(
        by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=100, session_ref=7
    )
    [reversal] = reverse_entry(by=network["physician"], entry=given, reason="Wrong lot chosen")
    assert (reversal.kind, reversal.quantity_mg, reversal.reverses) == ("reversal", 100, given)
    assert on_hand(network["montreal"], lot) == 1000
    assert LedgerEntry.objects.filter(pk=given.pk, quantity_mg=-100).exists()
    with pytest.raises(RegisterError, match="already reversed"):
        reverse_entry(by=network["physician"], entry=given, reason="again")
    with pytest.raises(RegisterError, match="not reversed") as refused:
        reverse_entry(by=network["physician"], entry=reversal, reason="undo the undo")
    assert refused.value.code == RegisterCode.REVERSAL_NOT_REVERSIBLE
    with pytest.raises(RegisterError, match="Say why"):
        reverse_entry(by=network["physician"], entry=lot.entries.first(), reason="")


def test_a_receipt_already_used_cannot_be_reversed_into_a_negative_balance(
    network: dict[str, Any], lot: Lot
) -> None:
    record_administration(
        by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=300, session_ref=1
    )
    with pytest.raises(RegisterError) as refused:
        reverse_entry(by=network["physician"], entry=lot.entries.first(), reason="Wrong invoice")
    assert refused.value.code == RegisterCode.STOCK_SHORT
    assert on_hand(network["montreal"], lot) == 700


def test_reversing_either_leg_of_a_transfer_reverses_both(
    network: dict[str, Any], lot: Lot
) -> None:
    out, _into = transfer(
        by=network["clinic_admin"],
        clinic_from=network["montreal"],
        clinic_to=network["vancouver"],
        lot=lot,
        quantity_mg=250,
    )
    reversals = reverse_entry(by=network["clinic_admin"], entry=out, reason="Sent to wrong clinic")
    assert sorted(r.quantity_mg for r in reversals) == [-250, 250]
    assert on_hand(network["montreal"], lot) == 1000
    assert on_hand(network["vancouver"], lot) == 0
    assert verify_balances() == []
