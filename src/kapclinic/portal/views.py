"""Single-use link pages: what is left to answer, the questionnaire, and after it, support."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.selectors import current_texts
from kapclinic.care.services import mark_material_read, record_consent
from kapclinic.clinical.instruments import SUICIDAL_IDEATION
from kapclinic.errors import DomainError, found_or_404
from kapclinic.patients.models import Patient
from kapclinic.portal import selectors
from kapclinic.portal.forms import PortalConsentForm
from kapclinic.scheduling.calendars import invitation
from kapclinic.scheduling.selectors import exported_attendance
from kapclinic.screening import services
from kapclinic.screening.forms import questionnaire_form_or_404
from kapclinic.screening.selectors import waiting_for

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
ANSWERS_SENT = gettext_lazy("Thank you: your answers were sent to your care team.")


def _language(link_patient_language: str) -> str:
    translation.activate(link_patient_language)
    return link_patient_language


def link_home(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.usable_link(token)
    except DomainError as error:
        return render(request, "portal/link_closed.html", {"message": error.message}, status=410)
    _language(link.patient.preferred_language)
    context = {"token": token, "waiting": waiting_for(link.patient), "clinic": link.patient.clinic}
    return render(request, "portal/link_home.html", context)


def link_questionnaire(request: HttpRequest, token: str, instrument: str) -> HttpResponse:
    try:
        link = services.usable_link(token)
    except DomainError as error:
        return render(request, "portal/link_closed.html", {"message": error.message}, status=410)
    language = _language(link.patient.preferred_language)
    form = questionnaire_form_or_404(request.POST, instrument=instrument, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.answer_by_link(
                token=token, instrument=instrument, answers=form.answers(), language=language
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if SUICIDAL_IDEATION in response.flags:
                clinic = link.patient.clinic
                return render(request, "portal/support.html", {"clinic": clinic, "token": token})
            if waiting_for(link.patient):
                messages.success(request, ANSWERS_SENT)
                return redirect("portal:link", token=token)
            return render(request, "portal/done.html", {"clinic": link.patient.clinic})
    context = {"form": form, "token": token, "clinic": link.patient.clinic}
    return render(request, "portal/questionnaire.html", context)


def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited patient chooses a password, then lands in the portal."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(
            request,
            "portal/link_closed.html",
            {"message": _("This invitation link no longer works. Ask the clinic for a new one.")},
            status=410,
        )
    translation.activate(user.language)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend=AUTH_BACKEND)
        return redirect("portal:home")
    return render(request, "portal/welcome.html", {"form": form})


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()), role=Role.PATIENT)
    except (ValueError, TypeError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


def _own_record(request: AuthedRequest) -> Any:
    """The signed-in patient's record; a patient account without one sees nothing."""
    patient = Patient.objects.select_related("clinic").filter(user=request.user).first()
    if patient is None:
        raise Http404
    return patient


def home(request: AuthedRequest) -> HttpResponse:
    """What the signed-in patient still has to answer, their program and their appointments."""
    patient = _own_record(request)
    page = selectors.home_of(by=request.user, patient=patient, now=timezone.now())
    context = {
        "waiting": page.waiting,
        "enrolment": page.enrolment,
        "to_sign": page.to_sign,
        "unread": page.unread,
        "upcoming": page.upcoming,
        "tz": patient.clinic.time_zone,
        "clinic": patient.clinic,
    }
    return render(request, "portal/home.html", context)


def invitation_file(request: AuthedRequest, attendance_id: int) -> HttpResponse:
    """One of the patient's own appointments as an iCalendar file."""
    patient = _own_record(request)
    attendance = found_or_404(
        exported_attendance,
        by=request.user,
        patient=patient,
        attendance_id=attendance_id,
        now=timezone.now(),
    )
    response = HttpResponse(
        invitation([attendance], request.LANGUAGE_CODE), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{attendance.pk}.ics"'
    return response


def answer(request: AuthedRequest, instrument: str) -> HttpResponse:
    patient = _own_record(request)
    form = questionnaire_form_or_404(
        request.POST, instrument=instrument, language=request.LANGUAGE_CODE
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = services.answer_as_patient(
                user=request.user,
                instrument=instrument,
                answers=form.answers(),
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if SUICIDAL_IDEATION in response.flags:
                return render(request, "portal/support.html", {"clinic": patient.clinic})
            messages.success(request, ANSWERS_SENT)
            return redirect("portal:home")
    return render(request, "portal/questionnaire.html", {"form": form, "clinic": patient.clinic})


def sign_consent(request: AuthedRequest, kind: str) -> HttpResponse:
    """The patient reads the current text and signs it with their name (in-portal signature)."""
    patient = _own_record(request)
    text = current_texts().get(kind)
    if text is None:
        raise Http404
    form = PortalConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_consent(
                by=request.user,
                patient=patient,
                kind=kind,
                text_version=text.version,
                signed_name=form.cleaned_data["signed_name"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect("portal:home")
    context = {
        "text": text,
        "body": text.body(request.LANGUAGE_CODE),
        "form": form,
        "clinic": patient.clinic,
    }
    return render(request, "portal/consent.html", context)


def read_material(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    patient = _own_record(request)
    if request.method == "POST":
        assignment = found_or_404(selectors.assignment_of, patient, assignment_id)
        mark_material_read(by=request.user, assignment=assignment)
        messages.success(request, _("Thank you: marked as read."))
        return redirect("portal:home")
    assignment = found_or_404(
        selectors.material_to_read, by=request.user, patient=patient, assignment_id=assignment_id
    )
    material, language = assignment.material, request.LANGUAGE_CODE
    context = {
        "assignment": assignment,
        "title": material.title(language),
        "body": material.body(language),
        "clinic": patient.clinic,
    }
    return render(request, "portal/material.html", context)
