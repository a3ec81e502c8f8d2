"""The patient chart: one page gathering the record, safety flags, the journey, outcomes and
letters. It reads care, screening, dosing and outcomes, so it sits in web/, above them; its
URL keeps its name in the patients namespace (patients:chart, kapclinic/urls.py)."""

from django.http import HttpResponse
from django.shortcuts import render

from kapclinic.accounts.http import AuthedRequest
from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CHART_ROLES
from kapclinic.care.selectors import timeline_of
from kapclinic.dosing.access import SESSION_ROLES
from kapclinic.errors import found_or_404
from kapclinic.outcomes.selectors import patient_story
from kapclinic.patients import selectors
from kapclinic.patients.access import chart_fields
from kapclinic.screening.forms import ReviewForm
from kapclinic.screening.selectors import open_safety_flags
from kapclinic.screening.services import REVIEWER_ROLES


def patient_chart(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = found_or_404(selectors.patient_chart, by=request.user, patient_id=patient_id)
    today = patient.clinic.today()
    shown = chart_fields(request.user)
    journey = timeline_of(patient) if "journey" in shown else None
    context = {
        "patient": patient,
        "age": patient.age_on(today),
        "shown": shown,
        # What a role may not read is not even loaded.
        "safety_flags": open_safety_flags(patient=patient) if "safety" in shown else [],
        "may_review": request.user.role in REVIEWER_ROLES,
        "review_form": ReviewForm(),
        "journey": journey,
        # Referral to outcomes on one page (issue 13, item 7), in a fixed number of queries.
        "story": patient_story(patient=patient, enrolment=journey.enrolment) if journey else None,
        # Each past session is reached from here (the sessions page lists only today's).
        "may_open_sessions": request.user.role in SESSION_ROLES,
        # Letters to the referrer (sharedcare sits above patients: read through the relation,
        # one query, the PDF bytes left in the database). The chart's opening is the audit.
        "letters": list(patient.referrer_letters.defer("pdf").order_by("-drafted_at", "-id"))
        if journey
        else [],
    }
    return render(request, "web/chart.html", context)


# Joined to patients/urls.py's pages under the "patients" namespace in kapclinic/urls.py.
chart_urlpatterns = [
    route("<int:patient_id>/", patient_chart, name="chart", policy=allow(CHART_ROLES)),
]
