"""Example readings, orders and facts shared by the dosing rule tests."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from kapclinic.clinical.orders import MedicationOrder, Route
from kapclinic.clinical.pre_dose import PreDoseConfig, PreDoseFacts, PregnancyAttestation
from kapclinic.clinical.vitals import VitalsReading

TODAY = date(2026, 5, 12)
DOSED_AT = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)
CONFIG = PreDoseConfig(max_dose_mg=Decimal(200))


def reading(at: datetime = DOSED_AT, **values: Any) -> VitalsReading:
    """A reading inside both the pre-dose and the monitoring limits, unless told otherwise."""
    normal = {"systolic": 120, "diastolic": 75, "pulse": 70, "spo2": 98, "respiratory_rate": 16}
    return VitalsReading(taken_at=at, **(normal | values))


def after_dose(minutes: float, **values: Any) -> VitalsReading:
    return reading(DOSED_AT + timedelta(minutes=minutes), **values)


def order(**changes: Any) -> MedicationOrder:
    """A signed sublingual order for 100 mg, titrating 50 then 75 mg, valid to the year's end."""
    base = MedicationOrder(
        route=Route.SUBLINGUAL_RDT,
        dose_mg=Decimal(100),
        titration_mg=(Decimal(50), Decimal(75)),
        expires_on=date(2026, 12, 31),
        signed_at=datetime(2026, 5, 1, 14, 0, tzinfo=UTC),
    )
    return replace(base, **changes)


def ready_facts(**changes: Any) -> PreDoseFacts:
    """Facts for a session every pre-dose check clears."""
    base = PreDoseFacts(
        today=TODAY,
        session_route=Route.SUBLINGUAL_RDT,
        treatment_consent_valid=True,
        recording_consent=True,
        alternative_safeguard_documented=False,
        fasted_as_instructed=True,
        ride_home_arranged=True,
        pregnancy_relevant=True,
        pregnancy_attestation=PregnancyAttestation.NOT_PREGNANT,
        baseline=reading(DOSED_AT - timedelta(minutes=10)),
        suicidality_flag_unreviewed=False,
        order=order(),
    )
    return replace(base, **changes)
