"""The patient's insurance receipts in the portal: one per paid service, as a PDF in their
language (the same selector and document as the staff pages)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from kapclinic.accounts.http import AuthedRequest
from kapclinic.audit.services import record_page_read
from kapclinic.billing.receipt_views import pdf_response
from kapclinic.billing.receipts import receipt_document
from kapclinic.billing.selectors import receipt_lines
from kapclinic.errors import DomainError
from kapclinic.patients.models import Patient


def _own_record(request: AuthedRequest) -> Patient:
    patient = Patient.objects.select_related("clinic").filter(user=request.user).first()
    if patient is None:
        raise Http404
    return patient


def receipts(request: AuthedRequest) -> HttpResponse:
    patient = _own_record(request)
    lines = receipt_lines(patient)
    record_page_read(actor=request.user, patient=patient, page="portal.receipts")
    return render(request, "portal/receipts.html", {"lines": lines, "clinic": patient.clinic})


def receipt(request: AuthedRequest, line_id: int) -> HttpResponse:
    patient = _own_record(request)
    # Only the patient's own paid services: another id, unpaid or not theirs, is not found.
    line = next((line for line in receipt_lines(patient) if line.pk == line_id), None)
    if line is None:
        raise Http404
    try:
        document, filename = receipt_document(by=request.user, line=line, via="portal")
    except DomainError:
        raise Http404 from None
    return pdf_response(document, filename)
