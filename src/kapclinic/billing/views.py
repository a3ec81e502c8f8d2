"""Billing staff pages: services to invoice, invoices with their payments and credit notes,
receivables by age, the fee schedule, and a program's cost estimate. Each view parses, calls
one service or selector, and renders."""

from datetime import date
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.models import User
from kapclinic.accounts.selectors import clinics_of
from kapclinic.billing import forms, selectors, services
from kapclinic.billing.access import access_invoice
from kapclinic.billing.estimates import estimate_for
from kapclinic.billing.models import Invoice
from kapclinic.care.models import ProgramTemplate
from kapclinic.clinics.models import Clinic
from kapclinic.errors import DomainError, found_or_404, id_or_none
from kapclinic.patients.access import access_patient
from kapclinic.scheduling.models import Attendance


def user_of(request: HttpRequest) -> User:
    """The signed-in user (the access policy lets no one else reach these views)."""
    return cast(User, request.user)


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    return found_or_404(access_invoice, by=user_of(request), invoice_id=invoice_id)


def index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    clinics = list(clinics_of(user))
    services_due = selectors.billable_services(by=user, clinics=clinics)
    by_patient: dict[int, list[Attendance]] = {}
    for attendance in services_due:
        by_patient.setdefault(attendance.patient_id, []).append(attendance)
    recent = selectors.with_balance(
        Invoice.objects.filter(clinic__in=clinics).select_related("patient")
    )[:30]
    context = {"groups": list(by_patient.values()), "recent": recent}
    return render(request, "billing/index.html", context)


@require_POST
def issue_invoice(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    patient_id = id_or_none(request.POST.get("patient"))
    patient = found_or_404(access_patient, by=user, patient_id=patient_id or 0)
    ids = [i for i in map(id_or_none, request.POST.getlist("service")) if i is not None]
    try:
        issued = services.invoice_services(by=user, patient=patient, attendance_ids=ids)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("billing:index")
    messages.success(request, _("Invoice %(number)s issued.") % {"number": issued.number})
    return redirect("billing:invoice", invoice_id=issued.pk)


def _invoice_page(
    request: HttpRequest,
    invoice: Invoice,
    payment_form: forms.PaymentForm | None = None,
    credit_form: forms.CreditNoteForm | None = None,
) -> HttpResponse:
    view = selectors.invoice_view(by=user_of(request), invoice=invoice)
    context = {
        "view": view,
        "invoice": invoice,
        "payment_form": payment_form or forms.PaymentForm(),
        "credit_form": credit_form or forms.CreditNoteForm(lines=view.lines, auto_id="credit_%s"),
    }
    status = 400 if (payment_form or credit_form) else 200
    return render(request, "billing/invoice.html", context, status=status)


def invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _invoice_page(request, _invoice(request, invoice_id))


@require_POST
def payment(request: HttpRequest, invoice_id: int) -> HttpResponse:
    found = _invoice(request, invoice_id)
    form = forms.PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_payment(
                by=user_of(request),
                invoice=found,
                method=data["method"],
                amount=data["amount"],
                received_on=data["received_on"],
                reference=data["reference"],
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("billing:invoice", invoice_id=found.pk)
    return _invoice_page(request, found, payment_form=form)


@require_POST
def credit_note(request: HttpRequest, invoice_id: int) -> HttpResponse:
    found = _invoice(request, invoice_id)
    form = forms.CreditNoteForm(request.POST, lines=list(found.lines.all()), auto_id="credit_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            note = services.issue_credit_note(
                by=user_of(request),
                invoice=found,
                line_id=data["line"],
                amount=data["amount"],
                reason=data["reason"],
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
            return redirect("billing:invoice", invoice_id=found.pk)
    return _invoice_page(request, found, credit_form=form)


def receivables(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    clinics = list(clinics_of(user))
    report = selectors.receivables(by=user, clinics=clinics, today=_today(clinics))
    return render(request, "billing/receivables.html", {"report": report})


def _today(clinics: list[Clinic]) -> date:
    """Today where the (first) clinic is: an invoice's age counts in the clinic's days."""
    return clinics[0].today() if clinics else timezone.localdate()


def fees(request: HttpRequest) -> HttpResponse:
    schedule = selectors.fee_schedule(clinics=clinics_of(user_of(request)))
    return render(request, "billing/fees.html", {"fees": schedule})


def estimate(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    programs = list(ProgramTemplate.objects.order_by("code"))
    chosen = request.GET.get("program", "")
    program = next((p for p in programs if p.code == chosen), programs[0] if programs else None)
    found = estimate_for(by=user, patient=patient, program=program) if program else None
    context = {"patient": patient, "programs": programs, "program": program, "estimate": found}
    return render(request, "billing/estimate.html", context)
