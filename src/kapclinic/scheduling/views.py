"""Scheduling pages: a patient's appointments and plan, the clinic's week, clinicians' hours."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.access import child_of
from kapclinic.accounts.forms import ReasonForm
from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.selectors import clinics_of
from kapclinic.care.selectors import current_enrolment
from kapclinic.clinics.models import Clinic
from kapclinic.dates import plausible
from kapclinic.errors import DomainError, found_or_404, run_service
from kapclinic.patients.access import access_patient
from kapclinic.scheduling import calendars, plans, selectors, services
from kapclinic.scheduling.access import (
    access_appointment,
    access_attendance,
    access_clinic,
)
from kapclinic.scheduling.forms import (
    AttendanceForm,
    BookForm,
    HoursForm,
    PlanForm,
    RescheduleForm,
)
from kapclinic.scheduling.models import (
    Appointment,
    AppointmentType,
    Availability,
    CalendarFeed,
    Status,
)


def _chosen_type(request: HttpRequest) -> dict[str, AppointmentType]:
    """?kind= (the referral page's link to book the screening) chooses the appointment."""
    kind = request.GET.get("kind", "")
    chosen = AppointmentType.objects.filter(kind=kind).order_by("id").first() if kind else None
    return {"type": chosen} if chosen else {}


def patient_schedule(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The patient's appointments; with ?start=, the program's plan proposed from that day."""
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment = current_enrolment(patient)
    plan_form = PlanForm(request.GET if "start" in request.GET else None)
    proposal, refusal = [], ""
    if enrolment and plan_form.is_valid():
        try:
            proposal = plans.propose_plan(enrolment, plan_form.cleaned_data["start"])
        except DomainError as error:
            refusal = error.message
    attendances = selectors.patient_schedule(by=request.user, patient=patient)
    context = {
        "patient": patient,
        "enrolment": enrolment,
        "attendances": attendances,
        "plan_form": plan_form,
        "proposal": proposal,
        "refusal": refusal,
        "book_form": BookForm(clinic=patient.clinic, initial=_chosen_type(request)),
        "groups": selectors.open_groups(patient.clinic, timezone.now()),
        "tz": patient.clinic.time_zone,
        "now": timezone.now(),
    }
    return render(request, "scheduling/patient.html", context)


@require_POST
def book_plan(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    enrolment, form = current_enrolment(patient), PlanForm(request.POST)
    if enrolment is None or not form.is_valid():
        messages.error(request, _("Enrol the person in a program and choose a start date."))
    else:
        try:
            booked = plans.book_plan(
                by=request.user, enrolment=enrolment, start=form.cleaned_data["start"]
            )
            messages.success(request, _("%(n)d appointments booked.") % {"n": len(booked)})
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("scheduling:patient", patient_id=patient.pk)


@require_POST
def book_one(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    form = BookForm(request.POST, clinic=patient.clinic)
    if not form.is_valid():
        messages.error(request, _("Choose the appointment, clinician, room, date and time."))
        return redirect("scheduling:patient", patient_id=patient.pk)
    data = form.cleaned_data
    if run_service(
        request,
        services.book_appointment,
        type=data["type"],
        room=data["room"],
        clinician=data["clinician"],
        starts_at=form.moment(patient.clinic),
        patients=[patient],
        enrolment=current_enrolment(patient),
    ):
        messages.success(request, _("Appointment booked."))
    return redirect("scheduling:patient", patient_id=patient.pk)


@require_POST
def join_group(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(access_patient, by=request.user, patient_id=patient_id)
    group = request.POST.get("appointment", "")
    if not group:
        messages.error(request, _("Choose a group."))
        return redirect("scheduling:patient", patient_id=patient.pk)
    # A group of the patient's clinic (the parent), which the user may also open.
    appointment = found_or_404(child_of, patient.clinic, Appointment, group)
    found_or_404(access_appointment, by=request.user, appointment_id=appointment.pk)
    if run_service(
        request,
        services.join_group,
        appointment_id=appointment.pk,
        patient=patient,
        enrolment=current_enrolment(patient),
    ):
        messages.success(request, _("Added to the group."))
    return redirect("scheduling:patient", patient_id=patient.pk)


def _back(request: AuthedRequest, appointment: Appointment) -> HttpResponse:
    target = request.POST.get("patient_id", "")
    if target.isdigit():
        return redirect("scheduling:patient", patient_id=int(target))
    return redirect("scheduling:week", clinic_id=appointment.clinic_id)


@require_POST
def cancel(request: AuthedRequest, appointment_id: int) -> HttpResponse:
    appointment = found_or_404(access_appointment, by=request.user, appointment_id=appointment_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if run_service(request, services.cancel, appointment_id=appointment.pk, reason=reason):
        messages.success(request, _("Appointment cancelled."))
    return _back(request, appointment)


@require_POST
def reschedule(request: AuthedRequest, appointment_id: int) -> HttpResponse:
    appointment = found_or_404(access_appointment, by=request.user, appointment_id=appointment_id)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date, time and the reason."))
        return _back(request, appointment)
    if run_service(
        request,
        services.reschedule,
        appointment_id=appointment.pk,
        starts_at=form.moment(appointment.clinic),
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("Appointment moved."))
    return _back(request, appointment)


@require_POST
def record_attendance(request: AuthedRequest, attendance_id: int) -> HttpResponse:
    attendance = found_or_404(access_attendance, by=request.user, attendance_id=attendance_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.record_attendance,
            attendance_id=attendance.pk,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    return redirect("scheduling:patient", patient_id=attendance.patient_id)


def _monday(raw: str | None, clinic: Clinic) -> date:
    try:
        day = plausible(date.fromisoformat(raw or "")) or clinic.today()
    except ValueError:
        day = clinic.today()  # this week at the clinic, not at the server
    return day - timedelta(days=day.weekday())


def week(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    clinic = found_or_404(access_clinic, by=request.user, clinic_id=clinic_id)
    monday = _monday(request.GET.get("start"), clinic)
    context = {
        "week": selectors.week(by=request.user, clinic=clinic, monday=monday),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "clinics": clinics_of(request.user),
    }
    return render(request, "scheduling/week.html", context)


def my_week(request: AuthedRequest) -> HttpResponse:
    clinic = clinics_of(request.user).first()
    if clinic is None:
        messages.error(request, _("You do not belong to a clinic yet."))
        return redirect("web:home")
    return redirect("scheduling:week", clinic_id=clinic.pk)


def hours(request: AuthedRequest, clinic_id: int) -> HttpResponse:
    """Clinicians' weekly hours at a clinic; a clinic admin adds or ends them."""
    clinic = found_or_404(access_clinic, by=request.user, clinic_id=clinic_id)
    form = HoursForm(request.POST or None, clinic=clinic)
    if request.method == "POST":
        ending = request.POST.get("end", "")
        if ending.isdigit():
            services.end_availability(by=request.user, clinic=clinic, availability_id=int(ending))
            return redirect("scheduling:hours", clinic_id=clinic.pk)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.add_availability(
                    by=request.user,
                    clinic=clinic,
                    clinician=data["clinician"],
                    weekday=data["weekday"],
                    starts=data["starts"],
                    ends=data["ends"],
                )
                return redirect("scheduling:hours", clinic_id=clinic.pk)
            except DomainError as error:
                form.add_error(None, error.message)
    rows = Availability.objects.filter(clinic=clinic, ended_at__isnull=True).select_related(
        "clinician"
    )
    context = {"clinic": clinic, "form": form, "rows": rows.order_by("clinician__full_name")}
    return render(request, "scheduling/hours.html", context)


def my_calendar(request: AuthedRequest) -> HttpResponse:
    """The clinician's own calendar address: made or rotated here, shown once."""
    address = ""
    if request.method == "POST":
        token = calendars.rotate_feed(clinician=request.user)
        address = request.build_absolute_uri(reverse("scheduling:feed", kwargs={"token": token}))
    feed = CalendarFeed.objects.filter(clinician=request.user).first()
    upcoming = request.user.appointments.filter(
        status=Status.BOOKED, ends_at__gte=timezone.now()
    ).select_related("type", "room", "clinic")[:50]
    context = {"address": address, "feed": feed, "upcoming": upcoming}
    return render(request, "scheduling/calendar.html", context)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret iCalendar feed: public by design, the token is the credential."""
    clinician = calendars.feed_owner(token)
    if clinician is None:
        raise Http404
    return HttpResponse(calendars.clinician_feed(clinician), content_type="text/calendar")
