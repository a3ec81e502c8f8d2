"""Demo research consent: the first two of each clinic's patients with outcome scores consent
to the use of their de-identified scores for research (the third does not), so the research
export has rows, and leaves one patient out.

Idempotent: a clinic with a research consent already is left alone.
"""

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.care.models import Consent, ConsentKind
from kapclinic.care.services import record_consent
from kapclinic.clinics.models import Clinic
from kapclinic.demo.sharedcare import CONSENT_VERSION
from kapclinic.patients.models import Patient

CONSENTING = 2


def research_patients(clinic: Clinic) -> list[Patient]:
    consents = Consent.objects.filter(
        patient__clinic=clinic, kind=ConsentKind.RESEARCH, withdrawn_at__isnull=True
    )
    return list(Patient.objects.filter(consents__in=consents).distinct().order_by("pk"))


def seed_research(clinic: Clinic, staff: dict[Role, User]) -> None:
    if Consent.objects.filter(patient__clinic=clinic, kind=ConsentKind.RESEARCH).exists():
        return
    scored = Patient.objects.filter(clinic=clinic, responses__isnull=False)
    for patient in scored.distinct().order_by("pk")[:CONSENTING]:
        record_consent(
            by=staff[Role.NURSE],
            patient=patient,
            kind=ConsentKind.RESEARCH,
            text_version=CONSENT_VERSION,
            signed_name=patient.display_name,
        )
