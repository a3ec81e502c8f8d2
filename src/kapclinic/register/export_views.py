"""Downloads: the register for an inspection period (CSV, PDF) and the pre-filled loss or
theft report of a discrepancy (PDF). Each download is an audited export."""

from django.http import HttpResponse
from django.shortcuts import render

from kapclinic import spreadsheets
from kapclinic.accounts.http import AuthedRequest
from kapclinic.errors import found_or_404
from kapclinic.register import reports, selectors
from kapclinic.register.access import access_clinic
from kapclinic.register.forms import PeriodForm


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def register_report(request: AuthedRequest, clinic_id: int, export: str) -> HttpResponse:
    clinic = found_or_404(access_clinic, by=request.user, clinic_id=clinic_id)
    form = PeriodForm(request.GET, clinic=clinic)
    if not form.is_valid():
        context = {"clinic": clinic, "form": form, "entries": None}
        return render(request, "register/ledger.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.register_report(
        by=request.user, clinic=clinic, start=start, end=end, export=export
    )
    filename = f"register-{clinic.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{export}"
    if export == "csv":
        return _download(reports.register_csv(report), spreadsheets.CONTENT_TYPE, filename)
    return _download(reports.register_pdf(report), "application/pdf", filename)


def report_csv(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    return register_report(request, clinic_id, "csv")


def report_pdf(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    return register_report(request, clinic_id, "pdf")


def loss_report(request: AuthedRequest, discrepancy_id: int) -> HttpResponse:
    discrepancy = found_or_404(
        selectors.discrepancy_detail,
        by=request.user,
        discrepancy_id=discrepancy_id,
        export="pdf",
    )
    filename = f"loss-theft-report-{discrepancy.pk}.pdf"
    return _download(reports.loss_report_pdf(discrepancy), "application/pdf", filename)
