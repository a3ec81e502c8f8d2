"""Letters to the referrer: the patient's letters (draft, release, correct, PDF), discharge with
a summary, and the referrer's own letters in the referrer portal."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.models import User
from kapclinic.errors import DomainError, found_or_404, run_service
from kapclinic.patients.access import access_patient
from kapclinic.sharedcare import selectors, services
from kapclinic.sharedcare.access import access_letter, access_referrer_letter
from kapclinic.sharedcare.discharge import discharge_with_summary
from kapclinic.sharedcare.forms import CorrectionForm, DischargeForm, DraftForm
from kapclinic.sharedcare.models import Letter


def _user(request: AuthedRequest) -> User:
    """The signed-in user (the access policy admitted only signed-in users with a role)."""
    return request.user


def _pdf(pdf: bytes, letter: Letter) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


def letters(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.draft_letter(
                by=user,
                patient=patient,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Letter drafted: read it, then release it."))
            return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=letter.pk)
    context = {
        "patient": patient,
        "view": selectors.letters_of(by=user, patient=patient),
        "form": form,
    }
    return render(request, "sharedcare/letters.html", context)


def letter(request: AuthedRequest, patient_id: int, letter_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    found = found_or_404(access_letter, by=user, patient=patient, letter_id=letter_id)
    context = {
        "patient": patient,
        "letter": found,
        "deliveries": selectors.deliveries_of(found),
        "correction_form": CorrectionForm(),
    }
    return render(request, "sharedcare/letter.html", context)


@require_POST
def release(request: AuthedRequest, patient_id: int, letter_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    found = found_or_404(access_letter, by=user, patient=patient, letter_id=letter_id)
    if run_service(request, services.release_letter, letter_id=found.pk):
        messages.success(request, _("Letter released to the referrer."))
    return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=found.pk)


@require_POST
def correct(request: AuthedRequest, patient_id: int, letter_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    found = found_or_404(access_letter, by=user, patient=patient, letter_id=letter_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the corrected note."))
        return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=found.pk)
    try:
        correction = services.correct_letter(by=user, letter=found, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=found.pk)
    messages.success(request, _("Correction drafted as a new version."))
    return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=correction.pk)


def letter_pdf(request: AuthedRequest, patient_id: int, letter_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    found = found_or_404(access_letter, by=user, patient=patient, letter_id=letter_id)
    return _pdf(services.preview_pdf(by=user, letter=found), found)


@require_POST
def discharge(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = _user(request)
    patient = found_or_404(access_patient, by=user, patient_id=patient_id)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the discharge summary for the referrer."))
        return redirect("groups:reconnect", patient_id=patient.pk)
    try:
        summary = discharge_with_summary(by=user, patient=patient, note=form.cleaned_data["note"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("groups:reconnect", patient_id=patient.pk)
    if summary is None:
        messages.warning(
            request,
            _(
                "Discharged. No summary letter was drafted: the patient has not consented to "
                "share with the referring professional, or none is on file."
            ),
        )
        return redirect("care:journey", patient_id=patient.pk)
    messages.success(request, _("Discharged. The summary letter is drafted: release it."))
    return redirect("sharedcare:letter", patient_id=patient.pk, letter_id=summary.pk)


# --- referrer portal ---------------------------------------------------------------------


def referrer_letters(request: AuthedRequest) -> HttpResponse:
    inbox = selectors.referrer_inbox(by=_user(request))
    return render(request, "sharedcare/referrer_letters.html", {"letters": inbox})


def referrer_letter_pdf(request: AuthedRequest, letter_id: int) -> HttpResponse:
    user = _user(request)
    found = found_or_404(access_referrer_letter, by=user, letter_id=letter_id)
    return _pdf(services.download_letter(by=user, letter=found), found)
