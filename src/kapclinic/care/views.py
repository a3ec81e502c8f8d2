"""The journey page: enrol, see the timeline, move on (or read why not)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.care import services
from kapclinic.care.forms import EnrolForm, MoveForm
from kapclinic.clinical.journey import TRANSITIONS, Stage
from kapclinic.errors import DomainError, found_or_404
from kapclinic.patients.access import access_patient


def journey(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment = patient.enrolments.select_related("program").order_by("-enrolled_at").first()
    stages = sorted(TRANSITIONS[Stage(enrolment.stage)], key=list(Stage).index) if enrolment else []
    context = {
        "patient": patient,
        "enrolment": enrolment,
        "timeline": enrolment.transitions.select_related("by") if enrolment else [],
        "enrol_form": EnrolForm(),
        "move_form": MoveForm(stages=[s.value for s in stages]),
    }
    return render(request, "care/journey.html", context)


@require_POST
def enrol(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            services.enrol(by=request.user, patient=patient, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("care:journey", patient_id=patient.pk)


@require_POST
def move(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment = patient.enrolments.order_by("-enrolled_at").first()
    target = request.POST.get("to", "")
    if enrolment is None or target not in {s.value for s in Stage}:
        messages.error(request, _("Choose a stage."))
    else:
        try:
            services.move_journey(by=request.user, enrolment_id=enrolment.pk, to=target)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("care:journey", patient_id=patient.pk)
