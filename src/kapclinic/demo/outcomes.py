"""Demo outcomes: eight weeks of PHQ-9 and GAD-7 answers for each enrolled demo patient, so
the chart's trajectories and the outcomes dashboard have something to show."""

from datetime import timedelta

from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic
from kapclinic.outcomes.models import Measurement, MeasurementKind
from kapclinic.screening.models import QuestionnaireResponse, Source
from kapclinic.screening.services import record_response

# Totals every two weeks from baseline (eight weeks ago) to yesterday; the second patient
# improves less (no remission), the third does not respond.
COURSES = {
    "PHQ-9": ([18, 14, 10, 7, 4], [20, 17, 13, 11, 9], [16, 16, 15, 13, 12]),
    "GAD-7": ([15, 12, 9, 6, 4], [14, 12, 10, 8, 7], [12, 12, 11, 10, 10]),
}
ITEMS = {"PHQ-9": 9, "GAD-7": 7}
DAYS_AGO = [56, 42, 28, 14, 1]


def answers_for(instrument: str, total: int) -> list[int]:
    """Answers (0-3) summing to total; PHQ-9's last item (self-harm) is left at 0."""
    items = ITEMS[instrument] - (1 if instrument == "PHQ-9" else 0)
    answers = [min(3, max(0, total - 3 * i)) for i in range(items)]
    return answers + [0] * (ITEMS[instrument] - items)


def seed_outcomes(clinic: Clinic, staff: dict[Role, User]) -> None:
    """Once per clinic: a baseline moved eight weeks back and its answers since."""
    baselines = Measurement.objects.filter(
        patient__clinic=clinic, kind=MeasurementKind.BASELINE
    ).order_by("patient_id", "id")
    patients = list(dict.fromkeys(m.patient for m in baselines))
    if QuestionnaireResponse.objects.filter(patient__in=patients).exists():
        return
    now = timezone.now()
    start = now - timedelta(days=DAYS_AGO[0])
    for index, patient in enumerate(patients[:3]):
        baselines.filter(patient=patient).update(
            opens_at=start - timedelta(days=1),
            due_at=start,
            closes_at=start + timedelta(days=7),
            sent_at=start - timedelta(days=1),
            completed_at=start,
            missed_at=None,
        )
        for instrument, courses in COURSES.items():
            for days, total in zip(DAYS_AGO, courses[index], strict=True):
                response = record_response(
                    by=None,
                    patient=patient,
                    instrument=instrument,
                    answers=answers_for(instrument, total),
                    source=Source.PORTAL,
                    language=patient.preferred_language or "fr",
                )
                QuestionnaireResponse.objects.filter(pk=response.pk).update(
                    submitted_at=now - timedelta(days=days)
                )
