"""Insurance receipts: staff download or email a link; the link itself opens the PDF."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.access import child_of
from kapclinic.billing import receipts
from kapclinic.billing.access import access_invoice
from kapclinic.billing.models import InvoiceLine
from kapclinic.billing.views import user_of
from kapclinic.errors import DomainError, NotFound, found_or_404


def pdf_response(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _line(request: HttpRequest, invoice_id: int, line_id: int) -> InvoiceLine:
    invoice = found_or_404(access_invoice, by=user_of(request), invoice_id=invoice_id)
    return found_or_404(child_of, invoice, InvoiceLine, line_id, via="invoice")


def receipt(request: HttpRequest, invoice_id: int, line_id: int) -> HttpResponse:
    line = _line(request, invoice_id, line_id)
    try:
        document, filename = receipts.receipt_document(by=user_of(request), line=line, via="staff")
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("billing:invoice", invoice_id=invoice_id)
    return pdf_response(document, filename)


@require_POST
def send_receipt(request: HttpRequest, invoice_id: int, line_id: int) -> HttpResponse:
    line = _line(request, invoice_id, line_id)
    try:
        receipts.send_receipt_link(by=user_of(request), line=line)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The receipt link was emailed to the patient."))
    return redirect("billing:invoice", invoice_id=invoice_id)


def receipt_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: the signed token is the credential, for RECEIPT_LINK_DAYS."""
    try:
        line = receipts.line_from_token(token)
        document, filename = receipts.receipt_document(by=None, line=line, via="link")
    except NotFound:
        return render(request, "billing/receipt_link_closed.html", status=404)
    except DomainError:
        raise Http404 from None
    return pdf_response(document, filename)
