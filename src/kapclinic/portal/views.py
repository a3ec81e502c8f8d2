"""Single-use link pages: what is left to answer, the questionnaire, and after it, support."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from kapclinic.clinical.instruments import SUICIDAL_IDEATION
from kapclinic.errors import DomainError
from kapclinic.screening import services
from kapclinic.screening.forms import QuestionnaireForm, instrument_or_none
from kapclinic.screening.selectors import waiting_for


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
    definition = instrument_or_none(instrument)
    if definition is None:
        raise Http404
    language = _language(link.patient.preferred_language)
    form = QuestionnaireForm(request.POST or None, instrument=definition, language=language)
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
