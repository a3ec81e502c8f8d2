"""Staff pages for patients: find, register, open the chart. Thin: parse, call, render."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kapclinic.care.selectors import timeline_of
from kapclinic.clinics.selectors import clinics_of
from kapclinic.errors import found_or_404
from kapclinic.patients import selectors
from kapclinic.patients.access import chart_fields, may_register_patients
from kapclinic.patients.errors import DuplicatePatient
from kapclinic.patients.forms import PatientForm, PatientSearchForm
from kapclinic.patients.services import register_patient
from kapclinic.screening.forms import ReviewForm
from kapclinic.screening.selectors import open_safety_flags
from kapclinic.screening.services import REVIEWER_ROLES


def patient_search(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = selectors.search_patients(by=request.user, query=query)
    context = {
        "form": form,
        "query": query,
        "patients": patients,
        "may_register": may_register_patients(request.user),
    }
    return render(request, "patients/search.html", context)


def patient_create(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, clinics=clinics_of(request.user))
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            patient = register_patient(by=request.user, **form.service_kwargs())
        except DuplicatePatient as error:
            duplicate = error
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Patient record created."))
            return redirect("patients:chart", patient_id=patient.pk)
    return render(request, "patients/create.html", {"form": form, "duplicate": duplicate})


def patient_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(selectors.patient_chart, by=request.user, patient_id=patient_id)
    today = patient.clinic.today()
    shown = chart_fields(request.user)
    context = {
        "patient": patient,
        "age": patient.age_on(today),
        "shown": shown,
        # What a role may not read is not even loaded.
        "safety_flags": open_safety_flags(patient=patient) if "safety" in shown else [],
        "may_review": request.user.role in REVIEWER_ROLES,
        "review_form": ReviewForm(),
        "journey": timeline_of(patient) if "journey" in shown else None,
    }
    return render(request, "patients/chart.html", context)
