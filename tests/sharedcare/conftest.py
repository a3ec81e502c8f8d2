"""A referred patient in a program, with scores, and the helpers letters need."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.models import Consent, ConsentKind, Enrolment
from kapclinic.screening.models import QuestionnaireResponse
from tests.factories import seeded_programs, signed_eligible


def share_consent(patient: Any, by: Any) -> Consent:
    return Consent.objects.create(
        patient=patient,
        kind=ConsentKind.SHARE_WITH_REFERRER,
        text_version="2026.1",
        signed_name=f"{patient.legal_given_name} {patient.legal_family_name}",
        recorded_by=by,
    )


def scores(patient: Any, totals: list[int], instrument: str = "PHQ-9") -> None:
    start = timezone.now() - timedelta(days=7 * len(totals))
    for week, total in enumerate(totals):
        QuestionnaireResponse.objects.create(
            patient=patient,
            instrument=instrument,
            answers=[],
            total=total,
            band="moderate",
            source="staff",
            submitted_at=start + timedelta(days=7 * week),
        )


@pytest.fixture
def referred(network: dict[str, Any]) -> dict[str, Any]:
    """Patient A (referred by `referrer`), signed eligible, in the Standard program, with PHQ-9
    scores; no consent to share yet."""
    patient = network["patient_a"]
    programs = seeded_programs()
    signed_eligible(patient)
    Enrolment.objects.create(
        patient=patient,
        program=programs["standard"],
        enrolled_by=network["physician"],
        stage="integrate",
    )
    scores(patient, [21, 17, 12, 8])
    return network
