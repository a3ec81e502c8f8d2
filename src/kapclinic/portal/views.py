"""Single-use link pages: what is left to answer, the questionnaire, and after it, support."""

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinical.instruments import SUICIDAL_IDEATION
from kapclinic.errors import DomainError
from kapclinic.patients.models import Patient
from kapclinic.screening import services
from kapclinic.screening.forms import questionnaire_form_or_404
from kapclinic.screening.selectors import waiting_for

AUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _language(link_patient_language: str) -> str:
    translation.activate(link_patient_language)
    return link_patient_language


def link_home(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.usable_link(token)
    except DomainError as error:
        return render(request, "portal/link_closed.html", {"message": error.message}, status=410)
    _language(link.patient.preferred_language)
    return render(
        request, "portal/link_home.html", {"token": token, "waiting": waiting_for(link.patient)}
    )


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
            return (
                redirect("portal:link", token=token)
                if waiting_for(link.patient)
                else render(request, "portal/done.html")
            )
    return render(request, "portal/questionnaire.html", {"form": form, "token": token})


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


def _own_record(request: HttpRequest) -> Any:
    """The signed-in patient's record; a patient account without one sees nothing."""
    patient = Patient.objects.select_related("clinic").filter(user=request.user).first()
    if patient is None:
        raise Http404
    return patient


def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in patient still has to answer."""
    patient = _own_record(request)
    return render(request, "portal/home.html", {"waiting": waiting_for(patient)})


def answer(request: HttpRequest, instrument: str) -> HttpResponse:
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
            return redirect("portal:home")
    return render(request, "portal/questionnaire.html", {"form": form})
