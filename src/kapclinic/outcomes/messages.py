"""The email that asks a patient to answer their outcome questionnaires, with the link."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.outcomes.models import Measurement
from kapclinic.outcomes.wording import moment_phrase
from kapclinic.said import translate
from kapclinic.screening.services import assign_questionnaires, issue_access_link
from kapclinic.text import render_subject, render_text


def _link(measurement: Measurement) -> str:
    """The portal for a patient who has an account; a single-use link otherwise (issued on
    behalf of the clinician who enrolled them)."""
    if measurement.patient.user_id is not None:
        return settings.SITE_URL + reverse("portal:home")
    token = issue_access_link(by=measurement.enrolment.enrolled_by, patient=measurement.patient)
    return settings.SITE_URL + reverse("portal:link", kwargs={"token": token})


def send_measurement_link(measurement: Measurement, *, reminder: bool) -> None:
    """Assign the questionnaires (the portal and the link show them) and email the link."""
    patient = measurement.patient
    assign_questionnaires(
        by=measurement.enrolment.enrolled_by, patient=patient, instruments=measurement.instruments
    )
    url = _link(measurement)
    with translation.override(patient.preferred_language):
        context = {
            "patient": patient,
            "url": url,
            "reminder": reminder,
            "moment": translate(moment_phrase(measurement.kind, measurement.sequence)),
            "instruments": ", ".join(measurement.instruments),
        }
        body = render_text("outcomes/email/measurement.txt", context)
        subject = render_subject("outcomes/email/measurement_subject.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email]).send()
    record_event(
        actor=None,
        action=Action.EXPORT,
        patient=patient,
        target=measurement,
        detail={"measurement_link": "reminder" if reminder else "first"},
    )
