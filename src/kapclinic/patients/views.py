"""Staff pages for patients: find, register, the care team. Thin: parse, call, render.
The chart, which gathers several apps, is web/chart.py."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.roles import CARE_TEAM_MANAGER_ROLES
from kapclinic.accounts.selectors import clinics_of
from kapclinic.errors import found_or_404, run_service
from kapclinic.patients import selectors, services
from kapclinic.patients.access import access_patient, may_register_patients
from kapclinic.patients.errors import DuplicatePatient
from kapclinic.patients.forms import (
    CareTeamAddForm,
    CareTeamEndForm,
    PatientForm,
    PatientSearchForm,
)
from kapclinic.patients.services import register_patient


def patient_search(request: AuthedRequest) -> HttpResponse:
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


def patient_create(request: AuthedRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, clinics=clinics_of(request.user))
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            patient = register_patient(
                by=request.user,
                clinic=form.cleaned_data["clinic"],
                details=form.to_input(),
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
            )
        except DuplicatePatient as error:
            duplicate = error
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Patient record created."))
            return redirect("patients:chart", patient_id=patient.pk)
    return render(request, "patients/create.html", {"form": form, "duplicate": duplicate})


def care_team(
    request: AuthedRequest, patient_id: int, add_form: CareTeamAddForm | None = None
) -> HttpResponse:
    patient, members = found_or_404(
        selectors.care_team_page, by=request.user, patient_id=patient_id
    )
    may_manage = request.user.role in CARE_TEAM_MANAGER_ROLES
    if may_manage and add_form is None:
        add_form = CareTeamAddForm(clinicians=services.clinicians_of(patient))
    rows = [
        (member, CareTeamEndForm(auto_id=f"id_end_{member.pk}_%s") if may_manage else None)
        for member in members
    ]
    context = {"patient": patient, "rows": rows, "may_manage": may_manage, "add_form": add_form}
    status = 400 if add_form is not None and add_form.errors else 200
    return render(request, "patients/care_team.html", context, status=status)


@require_POST
def care_team_add(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = CareTeamAddForm(request.POST, clinicians=services.clinicians_of(patient))
    if not form.is_valid():
        return care_team(request, patient_id, add_form=form)
    added = run_service(
        request,
        services.add_care_team_member,
        patient_id=patient.pk,
        user_id=form.cleaned_data["member"].pk,
        reason=form.cleaned_data["reason"],
    )
    if added:
        messages.success(request, _("Added to the care team."))
    return redirect("patients:care_team", patient_id=patient.pk)


@require_POST
def care_team_end(request: AuthedRequest, patient_id: int, member_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = CareTeamEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for ending this membership."))
    elif run_service(
        request,
        services.end_care_team_membership,
        patient_id=patient.pk,
        member_id=member_id,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The care team membership was ended."))
    return redirect("patients:care_team", patient_id=patient.pk)
