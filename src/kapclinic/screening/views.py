"""Staff pages: questionnaires, answers typed in, single-use links, flag review, tasks."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.access import child_of
from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.roles import Role
from kapclinic.errors import DomainError, found_or_404
from kapclinic.patients.access import access_patient
from kapclinic.patients.models import Patient
from kapclinic.screening import selectors, services, workflow
from kapclinic.screening.forms import (
    AssignForm,
    DeterminationForm,
    ReviewForm,
    ScreeningForm,
    StartScreeningForm,
    questionnaire_form_or_404,
)
from kapclinic.screening.from_referral import facts_from_referral
from kapclinic.screening.models import SafetyFlag, Source


def _patient(request: AuthedRequest, patient_id: int) -> Patient:
    return found_or_404(access_patient, by=request.user, patient_id=patient_id)


def questionnaires(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    found = selectors.questionnaires_of(by=request.user, patient=patient)
    context = {
        "patient": patient,
        "responses": found.responses,
        "waiting": found.waiting,
        "assign_form": AssignForm(),
    }
    return render(request, "screening/questionnaires.html", context)


@require_POST
def assign(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        services.assign_questionnaires(
            by=request.user, patient=patient, instruments=form.cleaned_data["instruments"]
        )
        messages.success(request, _("Questionnaires assigned."))
    return redirect("screening:questionnaires", patient_id=patient.pk)


@require_POST
def issue_link(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    try:
        token = services.issue_access_link(by=request.user, patient=patient)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        url = request.build_absolute_uri(reverse("portal:link", kwargs={"token": token}))
        messages.success(
            request,
            _("Single-use link (give it to the patient now; it is shown once): %(url)s")
            % {"url": url},
        )
    return redirect("screening:questionnaires", patient_id=patient.pk)


@require_POST
def invite(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    try:
        services.invite_to_portal(by=request.user, patient=patient)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": patient.email})
    return redirect("screening:questionnaires", patient_id=patient.pk)


def enter_response(request: AuthedRequest, patient_id: int, instrument: str) -> HttpResponse:
    patient = _patient(request, patient_id)
    form = questionnaire_form_or_404(
        request.POST, instrument=instrument, language=request.LANGUAGE_CODE
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_response(
                by=request.user,
                patient=patient,
                instrument=instrument,
                answers=form.answers(),
                source=Source.STAFF,
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Answers recorded."))
            return redirect("screening:questionnaires", patient_id=patient.pk)
    patient = selectors.entry_form_for(by=request.user, patient=patient)
    return render(request, "screening/enter.html", {"patient": patient, "form": form})


@require_POST
def review_flag(request: AuthedRequest, patient_id: int, flag_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    found_or_404(child_of, patient, SafetyFlag, flag_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what was done: the review note is required."))
    else:
        try:
            services.review_safety_flag(
                by=request.user, patient=patient, flag_id=flag_id, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Review documented."))
    return redirect("patients:chart", patient_id=patient.pk)


def my_tasks(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "screening/tasks.html", {"tasks": selectors.open_tasks_of(by=request.user)}
    )


def screening(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The latest screening: facts, the findings they give, and the physician's decision."""
    patient = _patient(request, patient_id)
    current = selectors.screening_of(by=request.user, patient=patient)
    said = facts_from_referral(current.referral).notes if current else {}
    form = (
        ScreeningForm(request.POST or None, instance=current, from_referral=said)
        if current
        else None
    )
    if current is not None and form is not None and request.method == "POST" and form.is_valid():
        try:
            workflow.update_screening(by=request.user, screening=current, facts=form.to_input())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Screening saved; the findings below are up to date."))
            return redirect("screening:screening", patient_id=patient.pk)
    context = {
        "patient": patient,
        "screening": current,
        "form": form,
        "assessment": workflow.findings_for(current) if current else None,
        "start_form": StartScreeningForm(),
        "sign_form": DeterminationForm(),
        "may_sign": request.user.role == Role.PHYSICIAN,
    }
    return render(request, "screening/screening.html", context)


@require_POST
def start_screening(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    form = StartScreeningForm(request.POST)
    if form.is_valid():
        referral = patient.referrals.order_by("-received_at", "-id").first()
        workflow.start_screening(
            by=request.user,
            patient=patient,
            indication=form.cleaned_data["indication"],
            referral=referral,
        )
    return redirect("screening:screening", patient_id=patient.pk)


@require_POST
def rescreen(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Open a new screening after a signed one (a condition since managed, new facts)."""
    patient = _patient(request, patient_id)
    current = patient.screenings.first()
    if current is None:
        messages.error(request, _("There is no screening to re-screen."))
    else:
        try:
            workflow.rescreen(by=request.user, previous=current)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Re-screening started from the signed screening's facts."))
    return redirect("screening:screening", patient_id=patient.pk)


@require_POST
def sign(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    current = patient.screenings.first()
    form = DeterminationForm(request.POST)
    if current is None or not form.is_valid():
        if form.has_error("password") and not form.has_error("decision"):
            messages.error(request, _("Re-enter your password to sign."))
        else:
            messages.error(request, _("Choose a decision."))
    else:
        try:
            workflow.sign_determination(
                by=request.user,
                screening=current,
                decision=form.cleaned_data["decision"],
                justification=form.cleaned_data["justification"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Determination signed."))
    return redirect("screening:screening", patient_id=patient.pk)
