"""The journey page (enrol, materials, timeline, moves) and the consents page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.access import child_of
from kapclinic.accounts.forms import ReasonForm
from kapclinic.accounts.http import AuthedRequest
from kapclinic.care import selectors, services
from kapclinic.care.forms import ConsentForm, EnrolForm, MoveForm, ProgramForm
from kapclinic.care.models import Consent, MaterialAssignment, ProgramTemplate
from kapclinic.clinical.journey import STAGE_NAMES, TRANSITIONS, Stage
from kapclinic.errors import DomainError, found_or_404, run_service
from kapclinic.patients.access import access_patient


def journey(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    current = selectors.journey_page(by=request.user, patient=patient)
    enrolment = current.enrolment
    stages = sorted(TRANSITIONS[Stage(enrolment.stage)], key=list(Stage).index) if enrolment else []
    context = {
        "patient": patient,
        "journey": current,
        "enrol_form": EnrolForm(),
        "move_form": MoveForm(stages=[s.value for s in stages]),
    }
    return render(request, "care/journey.html", context)


@require_POST
def enrol(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = EnrolForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(
            request,
            services.enrol,
            patient=patient,
            program=data["program"],
            supporter_name=data["supporter_name"],
            supporter_contact=data["supporter_contact"],
        )
    return redirect("care:journey", patient_id=patient.pk)


@require_POST
def move(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment = selectors.current_enrolment(patient)
    target = request.POST.get("to", "")
    if enrolment is None or target not in {s.value for s in Stage}:
        messages.error(request, _("Choose a stage."))
    else:
        moved = run_service(request, services.move_journey, enrolment_id=enrolment.pk, to=target)
        if moved:
            stage = gettext(STAGE_NAMES[Stage(target)].template)
            messages.success(request, _("Moved to the %(stage)s stage.") % {"stage": stage})
    return redirect("care:journey", patient_id=patient.pk)


@require_POST
def preparation(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Mark one material read (`read`), or the whole preparation done."""
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment = selectors.current_enrolment(patient)
    if enrolment is None:
        raise Http404
    read = request.POST.get("read", "")
    if read:
        assignment = found_or_404(child_of, enrolment, MaterialAssignment, read)
        run_service(request, services.mark_material_read, assignment=assignment)
    else:
        run_service(request, services.mark_preparation_done, enrolment=enrolment)
    return redirect("care:journey", patient_id=patient.pk)


def consents(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The person's consents, given and withdrawn; record one with its signed PDF."""
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            services.record_consent(
                by=request.user,
                patient=patient,
                kind=text.kind,
                text_version=text.version,
                signed_name=form.cleaned_data["signed_name"],
                document=form.cleaned_data["document"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("care:consents", patient_id=patient.pk)
    context = {
        "patient": patient,
        "consents": selectors.consents_page(by=request.user, patient=patient),
        "form": form,
    }
    return render(request, "care/consents.html", context)


def _consent(request: AuthedRequest, patient_id: int, consent_id: int) -> Consent:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    return found_or_404(child_of, patient, Consent.objects.select_related("patient"), consent_id)


@require_POST
def withdraw(request: AuthedRequest, patient_id: int, consent_id: int) -> HttpResponse:
    consent = _consent(request, patient_id, consent_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(request, services.withdraw_consent, consent=consent, reason=reason)
    return redirect("care:consents", patient_id=patient_id)


def consent_document(request: AuthedRequest, patient_id: int, consent_id: int) -> FileResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    consent = found_or_404(
        selectors.consent_document, by=request.user, patient=patient, consent_id=consent_id
    )
    return FileResponse(consent.document.open("rb"), content_type="application/pdf")


def programs(request: AuthedRequest) -> HttpResponse:
    """The program templates; the medical director edits them here, other physicians read."""
    return render(request, "care/programs.html", {"programs": ProgramTemplate.objects.all()})


def program(request: AuthedRequest, program_id: int) -> HttpResponse:
    template = ProgramTemplate.objects.filter(pk=program_id).first()
    if template is None:
        raise Http404
    form = ProgramForm(request.POST or None, instance=template)
    may_edit = request.user.is_medical_director
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            services.edit_program(by=request.user, program=template, changes=form.cleaned_data)
            messages.success(request, _("Program saved."))
            return redirect("care:programs")
    context = {"program": template, "form": form, "may_edit": may_edit}
    return render(request, "care/program.html", context)
