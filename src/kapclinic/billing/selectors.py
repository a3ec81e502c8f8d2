"""Billing reads for screens: what is left to invoice, an invoice, receivables, receipts.

Reads that show a patient write the read audit (a list: one event naming the patients listed)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read
from kapclinic.billing.models import ZERO, CreditNote, FeeItem, Invoice, InvoiceLine, Payment
from kapclinic.clinical.dosing import SessionState
from kapclinic.clinics.models import Clinic
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Attendance, Status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

AMOUNT = DecimalField(max_digits=12, decimal_places=2)


class InvoiceBalance(TypedDict):
    """What `with_balance` annotates on each invoice."""

    credited: Decimal
    paid: Decimal
    balance: Decimal


def _sum_of(model: type[CreditNote] | type[Payment], field: str) -> Coalesce:
    per_invoice = (
        model.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(s=Sum(field))
        .values("s")
    )
    return Coalesce(Subquery(per_invoice, output_field=AMOUNT), Value(ZERO), output_field=AMOUNT)


def with_balance(
    invoices: QuerySet[Invoice],
) -> "QuerySet[WithAnnotations[Invoice, InvoiceBalance]]":
    """Invoices annotated with credited, paid and balance (total - credited - paid)."""
    return invoices.annotate(
        credited=_sum_of(CreditNote, "total"), paid=_sum_of(Payment, "amount")
    ).annotate(
        balance=ExpressionWrapper(F("total") - F("credited") - F("paid"), output_field=AMOUNT)
    )


def balance_of(invoice: Invoice) -> Decimal:
    credited = sum((c.total for c in CreditNote.objects.filter(invoice=invoice)), ZERO)
    paid = sum((p.amount for p in Payment.objects.filter(invoice=invoice)), ZERO)
    return invoice.total - credited - paid


def billable_services(*, by: User, clinics: Iterable[Clinic]) -> list[Attendance]:
    """Delivered services not yet invoiced, oldest first: attended appointments whose type is
    on the clinic's fee schedule, ketamine sessions once discharged. Only the date, the
    service and the practitioner are read (no clinical content)."""
    priced = FeeItem.objects.filter(
        clinic=OuterRef("appointment__clinic"),
        appointment_type=OuterRef("appointment__type"),
        active=True,
    )
    found = list(
        Attendance.objects.filter(status=Status.ATTENDED, appointment__clinic__in=clinics)
        .filter(Exists(priced))
        .exclude(Exists(InvoiceLine.objects.filter(attendance=OuterRef("pk"))))
        .filter(Q(dosing_session__isnull=True) | Q(dosing_session__state=SessionState.DISCHARGED))
        .select_related("patient", "appointment__type", "appointment__clinician")
        .select_related("appointment__clinic")
        .order_by("starts_at", "pk")[:200]
    )
    if found:
        record_list_read(
            actor=by,
            action=Action.READ,
            name="billing_to_invoice",
            patient_ids=[a.patient_id for a in found],
            view="billing.to_invoice",
        )
    return found


def fee_schedule(*, clinics: Iterable[Clinic]) -> QuerySet[FeeItem]:
    return FeeItem.objects.filter(clinic__in=clinics, active=True).select_related(
        "clinic", "appointment_type"
    )


@dataclass(frozen=True)
class InvoiceView:
    invoice: Invoice
    lines: list[InvoiceLine]
    credit_notes: list[CreditNote]
    payments: list[Payment]
    credited: Decimal
    paid: Decimal
    balance: Decimal


def invoice_view(*, by: User, invoice: Invoice) -> InvoiceView:
    lines = list(invoice.lines.all())
    notes = list(invoice.credit_notes.select_related("line"))
    payments = list(invoice.payments.all())
    credited = sum((c.total for c in notes), ZERO)
    paid = sum((p.amount for p in payments), ZERO)
    record_event(actor=by, action=Action.READ, patient=invoice.patient, target=invoice)
    return InvoiceView(
        invoice, lines, notes, payments, credited, paid, invoice.total - credited - paid
    )


# Age of an unpaid invoice in days since it was issued: 0-30, 31-60, 61-90, over 90.
AGING_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))


@dataclass(frozen=True)
class Receivable:
    invoice: Invoice
    balance: Decimal
    days: int
    bucket: int


@dataclass(frozen=True)
class Receivables:
    rows: list[Receivable]
    totals: list[Decimal]
    total: Decimal


def _bucket(days: int) -> int:
    for index, (low, high) in enumerate(AGING_BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return 0  # issued "in the future" by a clock skew: the newest bucket


def receivables(*, by: User, clinics: Iterable[Clinic], today: date) -> Receivables:
    """Invoices with money still owed, oldest first, with the totals per age bucket."""
    owed = list(
        with_balance(Invoice.objects.filter(clinic__in=clinics))
        .filter(balance__gt=ZERO)
        .select_related("patient", "clinic")
        .order_by("issued_on", "id")
    )
    rows = []
    for invoice in owed:
        days = (today - invoice.issued_on).days
        rows.append(Receivable(invoice, invoice.balance, days, _bucket(days)))
    totals = [sum((r.balance for r in rows if r.bucket == i), ZERO) for i in range(4)]
    if rows:
        record_list_read(
            actor=by,
            action=Action.READ,
            name="billing_receivables",
            patient_ids=[r.invoice.patient_id for r in rows],
            view="billing.receivables",
        )
    return Receivables(rows, totals, sum(totals, ZERO))


def receipt_lines(patient: Patient) -> list[InvoiceLine]:
    """The patient's services on invoices paid in full: one insurance receipt each."""
    settled = with_balance(Invoice.objects.filter(patient=patient)).filter(
        balance__lte=ZERO, paid__gt=ZERO
    )
    return list(
        InvoiceLine.objects.filter(invoice__in=settled.values("pk"))
        .select_related("invoice__clinic")
        .prefetch_related("credit_notes")
        .order_by("-service_date", "-pk")
    )
