"""Invoice <- billing.Invoice: the money only (service dates, fees, taxes), never clinical
content; read by billing staff and clinic admins of the invoice's clinic, like the web UI."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.billing.access import BILLING_ROLES, visible_invoices
from kapclinic.billing.models import CreditNote, Invoice, InvoiceLine, Payment
from kapclinic.billing.selectors import with_balance
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    Reader,
    ResourceType,
    Source,
    instant,
    last_change,
    newest,
    patient_ref,
    ref,
    require_role,
)

INVOICE_NUMBER_SYSTEM = "https://kapclinic.example/fhir/invoice-number"
FEE_CODE_SYSTEM = "https://kapclinic.example/fhir/fee-code"
TAX_CODE_SYSTEM = "https://kapclinic.example/fhir/sales-tax"


def invoice_rows(user: User) -> QuerySet[Invoice]:
    require_role(user, BILLING_ROLES)
    return with_balance(visible_invoices(user)).prefetch_related("lines")


def money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"value": float(amount), "currency": currency}


def status_of(invoice: Invoice) -> str:
    """Issued while money is owed, balanced once paid (or credited) in full, cancelled when
    credit notes took back the whole total."""
    credited = getattr(invoice, "credited", Decimal(0)) or Decimal(0)
    balance = getattr(invoice, "balance", invoice.total)
    if invoice.total > 0 and credited >= invoice.total:
        return "cancelled"
    return "balanced" if balance <= 0 else "issued"


def _line(line: InvoiceLine, sequence: int, currency: str) -> dict[str, Any]:
    components: list[dict[str, Any]] = [{"type": "base", "amount": money(line.amount, currency)}]
    for tax in line.taxes:
        components.append(
            {
                "type": "tax",
                "code": {"coding": [{"system": TAX_CODE_SYSTEM, "code": tax["code"]}]},
                "factor": float(tax["rate"]),
                "amount": money(Decimal(tax["amount"]), currency),
            }
        )
    return {
        "sequence": sequence,
        "chargeItemCodeableConcept": {
            "coding": [{"system": FEE_CODE_SYSTEM, "code": line.code}],
            "text": line.description(),
        },
        "priceComponent": components,
    }


def invoice(record: Invoice, reader: Reader) -> dict[str, Any]:
    currency = record.currency
    return {
        "resourceType": "Invoice",
        "identifier": [{"system": INVOICE_NUMBER_SYSTEM, "value": record.number}],
        "status": status_of(record),
        "subject": patient_ref(record.patient),
        "date": instant(record.issued_at),
        "issuer": ref("Organization", record.clinic_id),
        "lineItem": [
            _line(line, index, currency) for index, line in enumerate(record.lines.all(), 1)
        ],
        "totalNet": money(record.subtotal, currency),
        "totalGross": money(record.total, currency),
    }


INVOICE = ResourceType(
    "Invoice",
    (
        Source(
            invoice_rows,
            invoice,
            patient="patient",
            date="issued_at",
            # Its status follows payments and credit notes (billing.Frozen: nothing else
            # changes an issued invoice).
            updated=LAST_CHANGE,
            annotations=last_change(
                "issued_at",
                newest(lambda: Payment.objects.all(), "recorded_at", "invoice"),
                newest(lambda: CreditNote.objects.all(), "issued_at", "invoice"),
            ),
        ),
    ),
)
