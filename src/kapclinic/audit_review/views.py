"""Audit pages for clinic admins and privacy officers."""

from django.http import HttpResponse
from django.shortcuts import render

from kapclinic.accounts.http import AuthedRequest
from kapclinic.audit.chain import verify_chain
from kapclinic.audit_review import selectors
from kapclinic.audit_review.forms import AuditSearchForm
from kapclinic.errors import found_or_404


def audit_search(request: AuthedRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    events = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = selectors.search_events(
            by=request.user,
            patient_id=data["patient"],
            user_email=data["user"],
            start=data["start"],
            end=data["end"],
        )
    return render(request, "audit/search.html", {"form": form, "events": events})


def patient_access(request: AuthedRequest, patient_id: int) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    dates = form.cleaned_data if form.is_bound and form.is_valid() else {}
    patient = found_or_404(selectors.auditable_patient, by=request.user, patient_id=patient_id)
    events = selectors.patient_access_report(
        by=request.user, patient=patient, start=dates.get("start"), end=dates.get("end")
    )
    context = {"patient": patient, "events": events, "form": form}
    return render(request, "audit/patient_access.html", context)


def chain_status(request: AuthedRequest) -> HttpResponse:
    return render(request, "audit/chain.html", {"result": verify_chain()})
