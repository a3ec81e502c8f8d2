"""From the record to the pure rules: configuration from settings, and the facts the
clinical checks take, each gathered from the database (never typed twice)."""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings

from kapclinic.care.models import ConsentKind
from kapclinic.care.selectors import valid_consent_kinds
from kapclinic.clinical.discharge import DischargeConfig, DischargeFacts, latest_readings
from kapclinic.clinical.instruments import SUICIDAL_IDEATION
from kapclinic.clinical.orders import MedicationOrder
from kapclinic.clinical.pre_dose import PreDoseConfig, PreDoseFacts, PregnancyAttestation
from kapclinic.clinical.vitals import (
    MONITORING_LIMITS,
    PRE_DOSE_LIMITS,
    MonitoringSchedule,
    VitalsLimits,
    VitalsReading,
    alerts,
)
from kapclinic.dosing.models import Administration, DosingSession, Order, VitalSign
from kapclinic.patients.models import Sex
from kapclinic.screening.models import SafetyFlag


def pre_dose_limits() -> VitalsLimits:
    return replace(PRE_DOSE_LIMITS, **settings.DOSING_PRE_DOSE_LIMITS)


def monitoring_limits() -> VitalsLimits:
    return replace(MONITORING_LIMITS, **settings.DOSING_MONITORING_LIMITS)


def pre_dose_config() -> PreDoseConfig:
    return PreDoseConfig(max_dose_mg=settings.DOSING_MAX_DOSE_MG, limits=pre_dose_limits())


def discharge_config() -> DischargeConfig:
    return DischargeConfig(
        minimum_observation=timedelta(minutes=settings.DOSING_MINIMUM_OBSERVATION_MINUTES),
        limits=pre_dose_limits(),
    )


def monitoring_schedule() -> MonitoringSchedule:
    return MonitoringSchedule(minutes=tuple(settings.DOSING_READING_MINUTES))


def medication_order(order: Order) -> MedicationOrder:
    return MedicationOrder(
        route=order.route,
        dose_mg=Decimal(order.dose_mg),
        titration_mg=tuple(Decimal(step) for step in order.titration),
        expires_on=order.expires_on,
        signed_at=order.signed_at,
    )


def reading(vital: VitalSign) -> VitalsReading:
    return VitalsReading(
        systolic=vital.systolic,
        diastolic=vital.diastolic,
        pulse=vital.pulse,
        spo2=vital.spo2,
        respiratory_rate=vital.respiratory_rate,
        taken_at=vital.taken_at,
    )


def current_order(session: DosingSession) -> Order | None:
    """The enrolment's order in force: the latest version, the one nothing supersedes."""
    if session.enrolment_id is None:
        return None
    return (
        Order.objects.filter(enrolment_id=session.enrolment_id, superseded_by__isnull=True)
        .order_by("-signed_at", "-id")
        .first()
    )


def entered_at(session: DosingSession, state: str) -> datetime | None:
    """When the session last entered `state`, from its transitions."""
    return (
        session.transitions.filter(to_state=state)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


def session_number(session: DosingSession) -> int:
    """This session's place among the enrolment's dosed sessions (titration), from 1."""
    earlier = Administration.objects.filter(
        session__enrolment_id=session.enrolment_id,  # type: ignore[misc]  # None: IS NULL
        session__attendance__starts_at__lt=session.attendance.starts_at,
    )
    return earlier.count() + 1


def _baseline(session: DosingSession) -> VitalsReading | None:
    """The latest baseline; of readings sharing its minute, one out of the limits if any is
    (a tie never hides an alert), else the last recorded."""
    tied = latest_readings(reading(v) for v in session.vitals.filter(baseline=True))
    limits = pre_dose_limits()
    flagged = [r for r in tied if alerts(r, limits)]
    candidates = flagged or list(tied)
    return candidates[-1] if candidates else None


def pre_dose_facts(session: DosingSession, today: date, order: Order | None) -> PreDoseFacts:
    """Everything the eight pre-dose checks need, as the record says it now; `order` is the
    caller's current_order(session), read once."""
    consents = valid_consent_kinds(session.patient_id)
    return PreDoseFacts(
        today=today,
        session_route=session.route or (order.route if order else "sublingual_rdt"),
        treatment_consent_valid=ConsentKind.TREATMENT in consents,
        recording_consent=ConsentKind.RECORDING in consents,
        alternative_safeguard_documented=bool(session.alternative_safeguard.strip()),
        fasted_as_instructed=session.fasted_as_instructed,
        ride_home_arranged=session.ride_home_arranged,
        # Pregnancy is asked of everyone not recorded male at birth.
        pregnancy_relevant=session.patient.sex_at_birth != Sex.MALE,
        pregnancy_attestation=PregnancyAttestation(session.pregnancy_attestation),
        baseline=_baseline(session),
        suicidality_flag_unreviewed=SafetyFlag.objects.filter(
            patient_id=session.patient_id, kind=SUICIDAL_IDEATION, reviewed_at__isnull=True
        ).exists(),
        order=medication_order(order) if order else None,
    )


def discharge_facts(
    session: DosingSession,
    now: datetime,
    *,
    alert_and_oriented: bool,
    walking_steadily: bool,
    escort_present: bool,
    after_dose: Iterable[VitalSign] | None = None,
) -> DischargeFacts:
    """`after_dose` is the readings after the dose when the caller has them loaded already."""
    if after_dose is None:
        after_dose = session.vitals.filter(baseline=False)
    return DischargeFacts(
        last_dose_at=session.administration.given_at,
        now=now,
        readings=tuple(reading(v) for v in after_dose),
        alert_and_oriented=alert_and_oriented,
        walking_steadily=walking_steadily,
        escort_present=escort_present,
    )
