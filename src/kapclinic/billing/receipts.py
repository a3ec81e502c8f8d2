"""Insurance receipts: one per paid service, as a PDF in the patient's language, reached from
the portal or through a signed link that expires (settings.RECEIPT_LINK_DAYS).

The link carries the service line's id signed with the secret key (django.core.signing), so
nothing is stored and an altered or expired link opens nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.billing.errors import BillingError
from kapclinic.billing.models import ZERO, Invoice, InvoiceLine
from kapclinic.billing.selectors import balance_of
from kapclinic.errors import NotFound
from kapclinic.text import render_text

SALT = "kapclinic.billing.receipt"


@dataclass(frozen=True)
class Receipt:
    line: InvoiceLine
    invoice: Invoice
    paid: Decimal
    claimable: Decimal
    profession: str
    language: str


def receipt_for(line: InvoiceLine) -> Receipt:
    """What the receipt states; refused while the invoice still has a balance."""
    invoice = line.invoice
    if balance_of(invoice) > 0 or not invoice.payments.exists():
        raise BillingError(_("A receipt is issued once the invoice is paid in full."))
    credited = sum((c.total for c in line.credit_notes.all()), ZERO)
    paid = line.total - credited
    language = invoice.patient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        profession = str(Role(line.profession).label) if line.profession in Role.values else ""
    return Receipt(
        line=line,
        invoice=invoice,
        paid=paid,
        claimable=paid if line.claimable > 0 else ZERO,
        profession=profession,
        language=language,
    )


def receipt_pdf(receipt: Receipt) -> bytes:
    with translation.override(receipt.language):
        html = render_to_string("billing/receipt.html", {"receipt": receipt})
    return HTML(string=html).write_pdf()


def receipt_filename(receipt: Receipt) -> str:
    return f"receipt-{receipt.invoice.number}-{receipt.line.pk}.pdf"


def receipt_token(line: InvoiceLine) -> str:
    return signing.dumps(line.pk, salt=SALT)


def line_from_token(token: str) -> InvoiceLine:
    """The service line a receipt link names; NotFound when altered or expired."""
    try:
        line_id = signing.loads(token, salt=SALT, max_age=settings.RECEIPT_LINK_DAYS * 86400)
    except signing.BadSignature:
        raise NotFound(_("This receipt link has expired or is not valid.")) from None
    found = (
        InvoiceLine.objects.select_related("invoice__clinic", "invoice__patient")
        .filter(pk=line_id)
        .first()
    )
    if found is None:
        raise NotFound(_("This receipt link has expired or is not valid."))
    return found


@transaction.atomic
def send_receipt_link(*, by: User, line: InvoiceLine) -> str:
    """Email the patient a link to their receipt; returns the link."""
    receipt = receipt_for(line)
    patient = receipt.invoice.patient
    if not patient.email:
        raise BillingError(
            _(
                "The patient has no email address to send the receipt to: give them the PDF, "
                "or add their email address to their record first."
            )
        )
    url = settings.SITE_URL + reverse("billing:receipt_link", kwargs={"token": receipt_token(line)})
    with translation.override(receipt.language):
        body = render_text(
            "billing/email/receipt_link.txt",
            {"url": url, "days": settings.RECEIPT_LINK_DAYS, "clinic": receipt.invoice.clinic},
        )
        subject = _("Your receipt from %(clinic)s") % {"clinic": receipt.invoice.clinic}
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email])
    transaction.on_commit(message.send)
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=patient,
        target=line,
        detail={"receipt_link": True, "invoice": receipt.invoice.number},
    )
    return url


def receipt_document(*, by: User | None, line: InvoiceLine, via: str) -> tuple[bytes, str]:
    """The receipt's PDF and file name, the export audited (`via`: staff, portal or link)."""
    receipt = receipt_for(line)
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=receipt.invoice.patient,
        target=line,
        detail={"receipt": receipt.invoice.number, "via": via},
    )
    return receipt_pdf(receipt), receipt_filename(receipt)
