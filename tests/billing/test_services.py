"""Invoices from delivered services, numbering, payments, credit notes, and their refusals."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.billing.errors import (
    AlreadyInvoiced,
    CreditTooLarge,
    NoFee,
    NotDelivered,
    Overpayment,
)
from kapclinic.billing.models import Invoice, InvoiceLine, TaxTreatment
from kapclinic.billing.services import invoice_services, issue_credit_note, record_payment
from kapclinic.clinical.dosing import SessionState
from kapclinic.dosing.models import DosingSession
from kapclinic.scheduling.models import Status
from tests.billing.conftest import REGISTRATION, deliver

D = Decimal


def local_day(attendance: Any) -> str:
    tz = attendance.appointment.clinic.tzinfo
    return timezone.localdate(attendance.starts_at, timezone=tz).isoformat()


def invoice(setup: dict[str, Any], *attendances: Any, by: Any = None, patient: Any = None) -> Any:
    return invoice_services(
        by=by or setup["billing"],
        patient=patient or setup["patient_a"],
        attendance_ids=[a.pk for a in attendances],
    )


def test_a_delivered_service_is_invoiced_with_the_practitioners_registration(
    billing: dict[str, Any],
) -> None:
    service = deliver(billing)
    issued = invoice(billing, service)
    line = issued.lines.get()
    assert issued.number == f"QC{billing['montreal'].pk}-{timezone.now().year}-000001"
    assert (line.code, line.amount, line.tax, line.total) == ("PREP", D("180.00"), 0, D("180.00"))
    assert (line.registration_number, line.college) == (
        REGISTRATION,
        "Ordre des psychologues du Québec",
    )
    assert line.claimable == D("180.00")
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="billing.invoice")
    assert event.patient == billing["patient_a"]
    assert event.actor == billing["billing"]


def test_tax_is_per_item_quebec_charges_gst_and_qst_on_a_taxable_session(
    billing: dict[str, Any],
) -> None:
    prep, kap = deliver(billing), deliver(billing, type_code="ketamine-session")
    DosingSession.objects.create(
        attendance=kap,
        patient=kap.patient,
        clinic=billing["montreal"],
        state=SessionState.DISCHARGED,
    )
    issued = invoice(billing, prep, kap)
    lines = {line.code: line for line in issued.lines.all()}
    assert lines["PREP"].tax == 0 and lines["PREP"].taxes == []
    assert [t["code"] for t in lines["KAP"].taxes] == ["GST", "QST"]
    assert lines["KAP"].tax == D("97.34")  # 32.50 + 64.84
    assert (issued.subtotal, issued.tax, issued.total) == (D("830.00"), D("97.34"), D("927.34"))


def test_british_columbia_charges_gst_only_no_pst_on_services(billing: dict[str, Any]) -> None:
    kap = deliver(
        billing,
        type_code="ketamine-session",
        clinic=billing["vancouver"],
        patient=billing["patient_bc"],
    )
    DosingSession.objects.create(
        attendance=kap, patient=kap.patient, clinic=billing["vancouver"], state="discharged"
    )
    issued = invoice(billing, kap, by=billing["billing_bc"], patient=billing["patient_bc"])
    line = issued.lines.get()
    assert [t["code"] for t in line.taxes] == ["GST"]
    assert line.tax == D("32.50")
    assert issued.number.startswith(f"BC{billing['vancouver'].pk}-")


def test_an_exempt_ketamine_fee_is_configuration(billing: dict[str, Any]) -> None:
    fee = billing["fees"]["KAP"]
    type(fee).objects.filter(pk=fee.pk).update(tax_treatment=TaxTreatment.EXEMPT)
    kap = deliver(billing, type_code="ketamine-session")
    DosingSession.objects.create(
        attendance=kap, patient=kap.patient, clinic=billing["montreal"], state="discharged"
    )
    assert invoice(billing, kap).tax == 0


def test_a_service_is_never_invoiced_twice(billing: dict[str, Any]) -> None:
    service = deliver(billing)
    first = invoice(billing, service)
    with pytest.raises(AlreadyInvoiced) as refused:
        invoice(billing, service)
    assert refused.value.message == (
        f"The service of {first.lines.get().service_date.isoformat()} is already on invoice "
        f"{first.number}."
    )
    assert InvoiceLine.objects.count() == 1


def test_a_cancelled_appointment_is_not_invoiced(billing: dict[str, Any]) -> None:
    cancelled = deliver(billing, status=Status.CANCELLED)
    with pytest.raises(NotDelivered) as refused:
        invoice(billing, cancelled)
    assert refused.value.message == (
        f"The appointment of {local_day(cancelled)} was cancelled: "
        "only delivered services are invoiced."
    )
    assert not Invoice.objects.exists()


def test_a_ketamine_session_waits_for_the_discharge(billing: dict[str, Any]) -> None:
    kap = deliver(billing, type_code="ketamine-session")
    DosingSession.objects.create(
        attendance=kap, patient=kap.patient, clinic=billing["montreal"], state="monitoring"
    )
    with pytest.raises(NotDelivered, match="once the patient is discharged"):
        invoice(billing, kap)


def test_a_service_without_a_fee_is_refused(billing: dict[str, Any]) -> None:
    group = deliver(billing, type_code="integration-group")
    with pytest.raises(NoFee, match=r"The fee schedule has no price for Integration group\."):
        invoice(billing, group)


def test_another_patients_service_is_not_found(billing: dict[str, Any]) -> None:
    other = deliver(billing, patient=billing["patient_bc"], clinic=billing["vancouver"])
    with pytest.raises(Exception, match="not one of this patient's appointments"):
        invoice(billing, other)


def test_numbers_follow_each_other_and_a_rolled_back_invoice_gives_its_number_back(
    billing: dict[str, Any],
) -> None:
    first = invoice(billing, deliver(billing))
    service = deliver(billing)
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice(billing, service)
        raise RuntimeError("the surrounding work failed")
    second = invoice(billing, service)
    third = invoice(billing, deliver(billing))
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert third.number.endswith("-000003")


def test_each_clinic_numbers_on_its_own(billing: dict[str, Any]) -> None:
    invoice(billing, deliver(billing))
    bc = deliver(billing, patient=billing["patient_bc"], clinic=billing["vancouver"])
    issued = invoice(billing, bc, by=billing["billing_bc"], patient=billing["patient_bc"])
    assert issued.sequence == 1


def test_payments_bring_the_balance_to_zero_and_no_further(billing: dict[str, Any]) -> None:
    issued = invoice(billing, deliver(billing))
    today = billing["montreal"].today()
    record_payment(
        by=billing["billing"], invoice=issued, method="debit", amount=D("100"), received_on=today
    )
    with pytest.raises(Overpayment) as refused:
        record_payment(
            by=billing["billing"],
            invoice=issued,
            method="cash",
            amount=D("80.01"),
            received_on=today,
        )
    assert refused.value.message == (
        f"A payment of $80.01 is more than the balance of $80.00 on {issued.number}."
    )
    record_payment(
        by=billing["billing"], invoice=issued, method="cash", amount=D("80"), received_on=today
    )
    from kapclinic.billing.selectors import balance_of

    assert balance_of(issued) == 0


def test_a_payment_in_the_future_is_refused(billing: dict[str, Any]) -> None:
    issued = invoice(billing, deliver(billing))
    with pytest.raises(Exception, match="cannot be received in the future"):
        record_payment(
            by=billing["billing"],
            invoice=issued,
            method="cash",
            amount=D("1"),
            received_on=billing["montreal"].today() + timedelta(days=1),
        )


def test_a_credit_note_corrects_a_line_with_its_own_number_and_taxes(
    billing: dict[str, Any],
) -> None:
    kap = deliver(billing, type_code="ketamine-session")
    DosingSession.objects.create(
        attendance=kap, patient=kap.patient, clinic=billing["montreal"], state="discharged"
    )
    issued = invoice(billing, kap)
    line = issued.lines.get()
    note = issue_credit_note(
        by=billing["billing"], invoice=issued, line_id=line.pk, amount=D("100"), reason="Discount"
    )
    assert note.number == f"QC{billing['montreal'].pk}-CN-{timezone.now().year}-000001"
    assert (note.amount, note.tax, note.total) == (D("100.00"), D("14.98"), D("114.98"))
    # The invoice itself is untouched: the correction is a document of its own.
    assert Invoice.objects.get(pk=issued.pk).total == D("747.34")
    from kapclinic.billing.selectors import balance_of

    assert balance_of(issued) == D("632.36")


def test_a_credit_note_exceeding_the_invoice_is_refused(billing: dict[str, Any]) -> None:
    issued = invoice(billing, deliver(billing))
    line = issued.lines.get()
    issue_credit_note(
        by=billing["billing"], invoice=issued, line_id=line.pk, amount=D("150"), reason="Error"
    )
    with pytest.raises(CreditTooLarge) as refused:
        issue_credit_note(
            by=billing["billing"], invoice=issued, line_id=line.pk, amount=D("30.01"), reason="x"
        )
    assert refused.value.message == (
        "A credit note of $30.01 exceeds what remains to credit on PREP ($30.00)."
    )


def test_a_credit_note_needs_a_reason(billing: dict[str, Any]) -> None:
    issued = invoice(billing, deliver(billing))
    with pytest.raises(Exception, match=r"Say why the credit note is issued\."):
        issue_credit_note(
            by=billing["billing"],
            invoice=issued,
            line_id=issued.lines.get().pk,
            amount=D("1"),
            reason=" ",
        )


def test_issued_documents_cannot_be_changed_or_deleted(billing: dict[str, Any]) -> None:
    issued = invoice(billing, deliver(billing))
    issued.total = D("1")
    with pytest.raises(ValueError, match="issued and cannot change"):
        issued.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        issued.delete()


def test_without_a_licence_on_the_day_nothing_is_claimable(billing: dict[str, Any]) -> None:
    billing["therapist"].credentials.update(entered_in_error=True)
    line = invoice(billing, deliver(billing)).lines.get()
    assert (line.registration_number, line.claimable) == ("", 0)
