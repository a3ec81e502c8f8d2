"""A synthetic clinic network at scale, for the benchmarks (`kapclinic bench generate`).

On top of the demo network (seeded first), every synthetic patient gets a referral at a
realistic status, one ketamine session appointment attended (its session discharged, with
vital signs every 15 minutes for two hours), and a PHQ-9 and a GAD-7; about one in a hundred
has an appointment booked this week or next (what the week view shows). Rows go in by
bulk_create in batches, so 100,000 patients take minutes; nothing here is a clinical fact.
Rooms and clinicians are added per clinic as the network grows (one pair per 500 patients),
so attended appointments never overlap (the database refuses overlaps).
"""

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinics.models import Clinic, Condition, Room
from kapclinic.demo.seed import FAMILY, GIVEN, seed_demo
from kapclinic.dosing.models import DosingSession, VitalSign
from kapclinic.patients.models import Patient, fold
from kapclinic.referrals.models import Referral, Referrer, Status
from kapclinic.scheduling.models import Appointment, AppointmentType, Attendance
from kapclinic.scheduling.models import Status as AppointmentStatus
from kapclinic.screening.models import QuestionnaireResponse, Source

BATCH = 2000
PATIENTS_PER_ROOM = 500
READINGS = 9  # every 15 minutes for two hours after the dose
# Referral statuses in the proportions of a first measurement of a busy network.
STATUS_MIX = (
    [Status.ACCEPTED] * 55
    + [Status.DECLINED] * 10
    + [Status.WITHDRAWN] * 5
    + [Status.RECEIVED] * 4
    + [Status.CONTACTED] * 6
    + [Status.SCREENING_BOOKED] * 8
    + [Status.UNABLE_TO_CONTACT] * 7
    + [Status.INTEREST_LIST] * 3
    + [Status.ON_HOLD] * 2
)
SLOTS = (time(9), time(13))  # two three-hour sessions a room a day


def _rooms_and_clinicians(clinic: Clinic, pairs: int) -> list[tuple[Room, User]]:
    """As many dosing rooms, each with its therapist, as the clinic's share of patients needs."""
    found = []
    for n in range(pairs):
        room, _ = Room.objects.get_or_create(
            clinic=clinic, name=f"Bench room {n + 1}", defaults={"dosing_capable": True}
        )
        email = f"bench.therapist.{clinic.pk}.{n + 1}@bench.kapclinic.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, role=Role.THERAPIST, full_name=f"Bench Therapist {n}"
            )
            user.clinics.add(clinic)
        found.append((room, user))
    return found


def _working_days(until: date) -> Iterator[date]:
    """Weekdays going back from `until`."""
    day = until
    while True:
        if day.weekday() < 5:
            yield day
        day -= timedelta(days=1)


def _slots(clinic: Clinic, pairs: int, until: date) -> Iterator[tuple[int, datetime]]:
    """(room index, start) for attended sessions, latest first, never two in one room at once."""
    for day in _working_days(until):
        for slot in SLOTS:
            start = datetime.combine(day, slot, clinic.tzinfo)
            for pair in range(pairs):
                yield pair, start


def generate(patients: int, *, progress: Callable[[int], None] = lambda done: None) -> int:
    """Add `patients` synthetic patients with their history; returns the number added."""
    seed_demo()
    progress(0)
    rng = random.Random(patients)  # noqa: S311 (synthetic data, not security)
    clinics = list(Clinic.objects.select_related("jurisdiction").order_by("pk"))
    session_type = AppointmentType.objects.get(code="ketamine-session")
    condition = Condition.objects.get(code="depression")
    referrer = Referrer.objects.order_by("pk").first()
    intake = User.objects.filter(role=Role.INTAKE).first()
    nurse = User.objects.filter(role=Role.NURSE).first()
    today = timezone.localdate()
    start_of_run = Patient.objects.count()
    per_clinic = -(-patients // len(clinics))
    plans = []
    for clinic in clinics:
        pairs = max(1, -(-per_clinic // PATIENTS_PER_ROOM))
        plans.append(
            (
                clinic,
                _rooms_and_clinicians(clinic, pairs),
                _slots(clinic, pairs, today - timedelta(days=1)),
            )
        )
    done = 0
    while done < patients:
        size = min(BATCH, patients - done)
        with transaction.atomic():
            _batch(
                rng,
                start_of_run + done,
                size,
                plans,
                session_type=session_type,
                condition=condition,
                referrer=referrer,
                intake=intake,
                nurse=nurse,
            )
        done += size
        progress(done)
    return done


def _batch(
    rng: random.Random,
    first: int,
    size: int,
    plans: list[tuple[Clinic, list[tuple[Room, User]], Iterator[tuple[int, datetime]]]],
    **shared: Any,
) -> None:
    now = timezone.now()
    people = []
    for n in range(first, first + size):
        clinic = plans[n % len(plans)][0]
        given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)}{n}"
        patient = Patient(
            clinic=clinic,
            legal_given_name=given,
            legal_family_name=family,
            date_of_birth=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            sex_at_birth=rng.choice(["female", "male"]),
            preferred_language=rng.choice(["en", "fr"]),
            phone=f"514555{n % 10000:04d}",
            email=f"bench{n}@example.test",
            created_at=now - timedelta(days=rng.randint(1, 730)),
        )
        patient.search_key = fold(f"{given} {family} ")
        people.append(patient)
    Patient.objects.bulk_create(people)
    referrals = []
    appointments: list[tuple[Appointment, Patient]] = []
    for n, patient in enumerate(people, start=first):
        status = rng.choice(STATUS_MIX)
        received = now - timedelta(hours=rng.randint(2, 24 * 365))
        contacted = None
        if status != Status.RECEIVED:
            contacted = received + timedelta(hours=rng.choice([1, 3, 6, 12, 20, 23, 30, 48]))
        referrals.append(
            Referral(
                number=f"B{n:07d}",
                clinic=patient.clinic,
                referrer=shared["referrer"],
                channel="portal",
                status=status,
                patient=patient,
                given_name=patient.legal_given_name,
                family_name=patient.legal_family_name,
                date_of_birth=patient.date_of_birth,
                province=patient.clinic.province,
                phone=patient.phone,
                condition=shared["condition"],
                reason="Treatment-resistant depression (synthetic).",
                patient_agreed=True,
                created_at=received,
                received_at=received,
                contact_due_at=received + timedelta(hours=24),
                first_contact_at=contacted if contacted and contacted < now else None,
            )
        )
        clinic, pairs, slots = plans[n % len(plans)]
        mine = n // len(plans)  # the patient's number within its clinic
        booked = mine % 100 == 0
        if booked:  # this week or next, in a slot of its own: room, half day, weekday, week
            k = mine // 100
            pair, rest = k % len(pairs), k // len(pairs)
            monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
            day = monday + timedelta(days=(rest // 2) % 10 // 5 * 7 + (rest // 2) % 5)
            starts = datetime.combine(day, SLOTS[rest % 2], clinic.tzinfo)
        else:
            pair, starts = next(slots)
        room, clinician = pairs[pair]
        appointments.append(
            (
                Appointment(
                    clinic=clinic,
                    type=shared["session_type"],
                    room=room,
                    clinician=clinician,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    status=AppointmentStatus.BOOKED if booked else AppointmentStatus.ATTENDED,
                    booked_by=shared["intake"],
                ),
                patient,
            )
        )
    Referral.objects.bulk_create(referrals)
    _appointments_and_sessions(appointments, shared["nurse"], rng)
    _questionnaires(people, rng)


def _appointments_and_sessions(
    appointments: list[tuple[Appointment, Patient]], nurse: User, rng: random.Random
) -> None:
    Appointment.objects.bulk_create(
        [a for a, _ in appointments], ignore_conflicts=False, batch_size=BATCH
    )
    attendances = Attendance.objects.bulk_create(
        Attendance(
            appointment=a,
            patient=p,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            status=a.status,
        )
        for a, p in appointments
    )
    sessions = DosingSession.objects.bulk_create(
        DosingSession(
            attendance=attendance,
            patient=attendance.patient,
            clinic=attendance.appointment.clinic,
            state="discharged",
            route="sublingual_rdt",
            fasted_as_instructed=True,
            ride_home_arranged=True,
            pregnancy_attestation="not_pregnant",
            created_at=attendance.starts_at,
        )
        for attendance in attendances
        if attendance.status == AppointmentStatus.ATTENDED
    )
    VitalSign.objects.bulk_create(
        (
            VitalSign(
                session=session,
                taken_at=session.created_at + timedelta(minutes=30 + 15 * k),
                systolic=rng.randint(110, 150),
                diastolic=rng.randint(65, 95),
                pulse=rng.randint(60, 100),
                spo2=rng.randint(94, 99),
                respiratory_rate=rng.randint(12, 18),
                recorded_by=nurse,
            )
            for session in sessions
            for k in range(READINGS)
        ),
        batch_size=5000,
    )


def _questionnaires(people: list[Patient], rng: random.Random) -> None:
    responses = []
    for patient in people:
        for instrument, items, top in (("PHQ-9", 9, 3), ("GAD-7", 7, 3)):
            answers = [rng.randint(0, top) for _ in range(items)]
            total = sum(answers)
            responses.append(
                QuestionnaireResponse(
                    patient=patient,
                    instrument=instrument,
                    answers=answers,
                    total=total,
                    band="moderate" if total >= 10 else "mild",
                    language=patient.preferred_language,
                    source=Source.PORTAL,
                    submitted_at=patient.created_at,
                )
            )
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=5000)
