"""Billing writes: invoices from delivered services, payments, credit notes, receipt links.

Each runs in one transaction, enforces its rule, and writes its audit event. Issued
documents are never changed: a correction is a credit note, money received is a payment.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.credentials import licence_on
from kapclinic.accounts.models import User
from kapclinic.accounts.selectors import clinics_of
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.billing.errors import (
    AlreadyInvoiced,
    BillingCode,
    BillingError,
    CreditTooLarge,
    NoFee,
    NotDelivered,
    Overpayment,
)
from kapclinic.billing.models import (
    ZERO,
    CreditNote,
    FeeItem,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentMethod,
    SalesTax,
    Series,
    TaxTreatment,
)
from kapclinic.billing.money import Rate, cents, money, taxes_on
from kapclinic.billing.numbering import next_number
from kapclinic.billing.selectors import balance_of
from kapclinic.clinical.dosing import SessionState
from kapclinic.clinics.models import Clinic
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Attendance, Status


def _money(amount: Decimal) -> str:
    """An amount in a refusal, written as the reader's language writes it (1 234,56 $)."""
    return money(amount, translation.get_language() or "en")


def clinic_rates(clinic: Clinic) -> tuple[Rate, ...]:
    taxes = SalesTax.objects.filter(jurisdiction_id=clinic.jurisdiction_id)
    return tuple(Rate(t.code, t.rate, t.name_en, t.name_fr) for t in taxes)


def _service_date(attendance: Attendance) -> date:
    return timezone.localdate(attendance.starts_at, timezone=attendance.appointment.clinic.tzinfo)


def _check_delivered(attendance: Attendance) -> None:
    """Only a service delivered is billed; a ketamine session once the patient is discharged."""
    day = _service_date(attendance).isoformat()
    if attendance.status == Status.CANCELLED:
        raise NotDelivered(
            _("The appointment of %(day)s was cancelled: only delivered services are invoiced.")
            % {"day": day},
            code=BillingCode.CANCELLED,
        )
    if attendance.status != Status.ATTENDED:
        raise NotDelivered(
            _("The appointment of %(day)s is not recorded as attended.") % {"day": day}
        )
    session = getattr(attendance, "dosing_session", None)
    if session is not None and session.state != SessionState.DISCHARGED:
        raise NotDelivered(
            _("The ketamine session of %(day)s is invoiced once the patient is discharged.")
            % {"day": day}
        )


def _fee_for(attendance: Attendance) -> FeeItem:
    appointment = attendance.appointment
    fee = FeeItem.objects.filter(
        clinic_id=appointment.clinic_id, appointment_type_id=appointment.type_id, active=True
    ).first()
    if fee is None:
        raise NoFee(
            _("The fee schedule has no price for %(service)s.") % {"service": appointment.type}
        )
    return fee


def _line(invoice: Invoice, attendance: Attendance, rates: tuple[Rate, ...]) -> InvoiceLine:
    fee, day = _fee_for(attendance), _service_date(attendance)
    clinician = attendance.appointment.clinician
    licence = licence_on(clinician, day)
    taxes = taxes_on(fee.price, rates) if fee.tax_treatment == TaxTreatment.TAXABLE else ()
    tax = sum((t.amount for t in taxes), ZERO)
    # An insurer reimburses a service only with the practitioner's registration number.
    claimable = fee.price + tax if fee.claimable and licence is not None else ZERO
    return InvoiceLine(
        invoice=invoice,
        attendance=attendance,
        fee=fee,
        code=fee.code,
        description_en=fee.description_en,
        description_fr=fee.description_fr,
        service_date=day,
        practitioner=clinician,
        practitioner_name=clinician.full_name,
        profession=clinician.role,
        college=licence.issuer if licence else "",
        registration_number=licence.number if licence else "",
        amount=fee.price,
        tax_treatment=fee.tax_treatment,
        taxes=[{"code": t.code, "rate": str(t.rate), "amount": str(t.amount)} for t in taxes],
        tax=tax,
        total=fee.price + tax,
        claimable=claimable,
    )


def _lock_services(by: User, patient: Patient, attendance_ids: Sequence[int]) -> list[Attendance]:
    """The patient's attendances, locked in id order (two issuers queue instead of both billing
    one service); NotFound-like refusal for an id that is not the patient's."""
    ids = sorted({int(i) for i in attendance_ids})
    if not ids:
        raise BillingError(_("Choose at least one delivered service to invoice."))
    locked = list(
        Attendance.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, patient=patient, appointment__clinic__in=clinics_of(by))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if locked != ids:
        raise BillingError(_("A service chosen is not one of this patient's appointments."))
    return list(
        Attendance.objects.filter(pk__in=ids)
        .select_related("appointment__clinic__jurisdiction", "appointment__type")
        .select_related("appointment__clinician", "dosing_session")
        .prefetch_related("appointment__clinician__credentials")
        .order_by("starts_at", "pk")
    )


def _refuse_invoiced(attendances: list[Attendance]) -> None:
    billed = (
        InvoiceLine.objects.filter(attendance__in=attendances).select_related("invoice").first()
    )
    if billed is not None:
        raise AlreadyInvoiced(
            _("The service of %(day)s is already on invoice %(number)s.")
            % {"day": billed.service_date.isoformat(), "number": billed.invoice.number}
        )


def invoice_services(*, by: User, patient: Patient, attendance_ids: Sequence[int]) -> Invoice:
    """Issue one invoice for delivered services of `patient` at one clinic.

    Precondition kept by the lock: a service already on an invoice is refused, even when two
    people invoice it at the same moment (the unique constraint is the last guard)."""
    try:
        with transaction.atomic():
            return _issue_invoice(by, patient, attendance_ids)
    except IntegrityError as error:
        raise AlreadyInvoiced(_("One of these services was invoiced meanwhile.")) from error


def _issue_invoice(by: User, patient: Patient, attendance_ids: Sequence[int]) -> Invoice:
    attendances = _lock_services(by, patient, attendance_ids)
    clinics = {a.appointment.clinic for a in attendances}
    if len(clinics) != 1:
        raise BillingError(_("An invoice bills the services of one clinic."))
    clinic = clinics.pop()
    for attendance in attendances:
        _check_delivered(attendance)
    _refuse_invoiced(attendances)
    rates = clinic_rates(clinic)
    today = clinic.today()
    sequence, number = next_number(clinic, Series.INVOICE, today)
    invoice = Invoice(
        clinic=clinic, patient=patient, number=number, sequence=sequence, issued_on=today,
        issued_by=by, subtotal=ZERO, tax=ZERO, total=ZERO,
    )  # fmt: skip
    lines = [_line(invoice, attendance, rates) for attendance in attendances]
    invoice.subtotal = sum((line.amount for line in lines), ZERO)
    invoice.tax = sum((line.tax for line in lines), ZERO)
    invoice.total = invoice.subtotal + invoice.tax
    invoice.save()
    InvoiceLine.objects.bulk_create(lines)
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=patient,
        target=invoice,
        detail={"number": number, "services": [a.pk for a in attendances]},
    )
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def record_payment(
    *,
    by: User,
    invoice: Invoice,
    method: str,
    amount: Decimal,
    received_on: date,
    reference: str = "",
) -> Payment:
    """Money received against an invoice, never more than what is still owed."""
    invoice = _locked(invoice)
    amount = cents(amount)
    if method not in PaymentMethod.values:
        raise BillingError(_("Choose how the payment was made."))
    if amount <= 0:
        raise BillingError(_("A payment must be more than zero."))
    if received_on > invoice.clinic.today():
        raise BillingError(_("A payment cannot be received in the future."))
    owed = balance_of(invoice)
    if amount > owed:
        raise Overpayment(
            _("A payment of %(amount)s is more than the balance of %(owed)s on %(number)s.")
            % {"amount": _money(amount), "owed": _money(owed), "number": invoice.number}
        )
    payment = Payment.objects.create(
        invoice=invoice,
        method=method,
        reference=reference.strip(),
        amount=amount,
        received_on=received_on,
        recorded_by=by,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=invoice.patient,
        target=payment,
        detail={"invoice": invoice.number, "amount": str(amount), "method": method},
    )
    return payment


@transaction.atomic
def issue_credit_note(
    *, by: User, invoice: Invoice, line_id: object, amount: Decimal, reason: str
) -> CreditNote:
    """Correct one billed service by crediting part or all of it (its taxes follow)."""
    invoice = _locked(invoice)
    line = child_of(invoice, InvoiceLine, line_id, via="invoice")
    amount = cents(amount)
    if not reason.strip():
        raise BillingError(_("Say why the credit note is issued."))
    if amount <= 0:
        raise BillingError(_("A credit note must be more than zero."))
    credited = sum((c.amount for c in line.credit_notes.all()), ZERO)
    remaining = line.amount - credited
    if amount > remaining:
        raise CreditTooLarge(
            _("A credit note of %(amount)s exceeds what remains to credit on %(code)s (%(left)s).")
            % {"amount": _money(amount), "code": line.code, "left": _money(remaining)}
        )
    rates = tuple(Rate(t["code"], Decimal(t["rate"]), "", "") for t in line.taxes)
    tax = sum((t.amount for t in taxes_on(amount, rates)), ZERO)
    today = invoice.clinic.today()
    sequence, number = next_number(invoice.clinic, Series.CREDIT_NOTE, today)
    note = CreditNote.objects.create(
        line=line, invoice=invoice, clinic=invoice.clinic, number=number, sequence=sequence,
        reason=reason.strip(), amount=amount, tax=tax, total=amount + tax, issued_on=today,
        issued_by=by,
    )  # fmt: skip
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=invoice.patient,
        target=note,
        reason=reason,
        detail={"invoice": invoice.number, "number": number, "amount": str(amount)},
    )
    return note
