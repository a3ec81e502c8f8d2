"""A synthetic clinic network at scale, for the benchmarks (`kapclinic bench generate`).

On top of the demo network (seeded first), every synthetic patient gets a referral at a
realistic status, one ketamine session appointment attended (its session discharged, with
vital signs every 15 minutes for two hours, and the dose taken from the controlled-substance
register), a PHQ-9 and a GAD-7; a patient whose referral was accepted is enrolled in a program
with its baseline measurement and answers a PHQ-9 again later (what the outcomes dashboard
reads). About one in a hundred has an appointment booked this week or next (what the week view
shows). Every row written has its audit event, signed and sealed onto the chain as the
application would (audit.chain), and the anchor moves with it, so `kapclinic audit verify`
holds on the result.

Rows go in by PostgreSQL COPY with ids reserved from each table's sequence, a batch of
patients per transaction, so 100,000 patients take minutes on two cores. Each run adds its own
rooms and clinicians per clinic (one pair per 500 patients), so no room or clinician is ever
booked twice at once, whatever the number of rooms an earlier run added (the database refuses
overlaps among booked appointments only, not attended ones). Sessions are attended in time
order, up to the week before this one (this week and next hold the booked appointments), and
each run's doses come from a lot of its own: as the register's service writes them, each lot's
ledger entries are recorded in the order of their ids. Nothing here is a clinical fact.
"""

import hashlib
import hmac
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.chain import (
    GENESIS,
    _Forms,
    _take_seal_lock,
    _write_anchor,
    audit_key,
    read_anchor,
    seal_pending,
)
from kapclinic.audit.models import AuditEvent, AuditSeal
from kapclinic.care.models import Enrolment, ProgramTemplate
from kapclinic.clinics.models import Clinic, Condition, Room
from kapclinic.demo.seed import FAMILY, GIVEN, seed_demo
from kapclinic.dosing.models import DosingSession, VitalSign
from kapclinic.outcomes.models import Measurement, MeasurementKind, SchedulePoint
from kapclinic.patients.models import Patient, fold
from kapclinic.referrals.models import Referral, Referrer, Status
from kapclinic.register.models import Balance, LedgerEntry, Lot, Product, ProductForm
from kapclinic.scheduling.models import Appointment, AppointmentType, Attendance
from kapclinic.scheduling.models import Status as AppointmentStatus
from kapclinic.screening.models import QuestionnaireResponse, Source

BATCH = 5000
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
RECEIPT_MG = 50_000  # a pharmacy delivery to the register, when the lot runs low
BENCH_ROOM = "Bench room "


class BenchDataError(Exception):
    """The generator cannot run here (COPY needs PostgreSQL)."""


def _rooms_and_clinicians(clinic: Clinic, pairs: int) -> list[tuple[Room, User]]:
    """As many new dosing rooms, each with its therapist, as the clinic's share of this run's
    patients needs: an earlier run's rooms keep their own sessions."""
    found = []
    earlier = Room.objects.filter(clinic=clinic, name__startswith=BENCH_ROOM).count()
    for n in range(earlier, earlier + pairs):
        room, _ = Room.objects.get_or_create(
            clinic=clinic, name=f"{BENCH_ROOM}{n + 1}", defaults={"dosing_capable": True}
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


def _slots(clinic: Clinic, pairs: int, until: date, count: int) -> Iterator[tuple[int, datetime]]:
    """`count` (room index, start) for attended sessions, ending on `until`, earliest first
    (doses are taken from the register in time order), never two in one room at once."""
    days = -(-count // (len(SLOTS) * pairs))
    for day in reversed(list(islice(_working_days(until), days))):
        for slot in SLOTS:
            start = datetime.combine(day, slot, clinic.tzinfo)
            for pair in range(pairs):
                yield pair, start


class _Table:
    """One table written by COPY: the columns a row varies, then the rest at their defaults
    (prepared once per batch; a NOT NULL column without a default must be among the varying)."""

    def __init__(self, model: type[models.Model], varying: tuple[str, ...]) -> None:
        self.model = model
        self.varying = varying
        self.rest = [f for f in model._meta.concrete_fields if f.attname not in varying]
        for f in self.rest:
            if f.get_default() is None and not f.null:
                raise BenchDataError(f"{model.__name__}.{f.attname} needs a value")
        names = [*varying, *(str(f.column) for f in self.rest)]
        self.sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []

    def reserve(self, count: int) -> Iterator[int]:
        """`count` ids from the table's sequence, in order (nobody else writes this database)."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last = cursor.fetchone()[0]
        return iter(range(last - count + 1, last + 1))

    def write(self) -> None:
        rest = tuple(f.get_db_prep_save(f.get_default(), connection) for f in self.rest)
        with connection.cursor() as cursor, cursor.copy(self.sql) as copy:
            for row in self.rows:
                copy.write_row(row + rest)
        self.rows = []


@dataclass
class _Chain:
    """The audit chain's head as the generator extends it: each event signed (mac) and sealed
    (link) exactly as audit.services.record_event and audit.chain.seal_pending would."""

    prev: str
    count: int
    link_base: Any = None
    mac_base: Any = None
    forms: Any = None
    events: _Table = field(init=False)
    seals: _Table = field(init=False)

    def __post_init__(self) -> None:
        key = audit_key()
        self.forms = _Forms().forms
        self.link_base = hmac.new(key, digestmod=hashlib.sha256)
        self.mac_base = hmac.new(key, b"event:", digestmod=hashlib.sha256)
        self.events = _Table(
            AuditEvent,
            (
                "id", "occurred_at", "actor_id", "actor_label", "role", "patient_id",
                "object_type", "object_id", "action", "detail", "mac",
            ),
        )  # fmt: skip
        self.seals = _Table(AuditSeal, ("id", "event_id", "prev_hash", "hash"))

    def record(
        self,
        event_ids: Iterator[int],
        seal_ids: Iterator[int],
        *,
        actor: User | None,
        patient_id: int | None,
        target: type[models.Model],
        object_id: int,
        at: datetime,
        detail: dict[str, Any],
    ) -> None:
        event_id = next(event_ids)
        occurred = at.astimezone(UTC)
        actor_id = actor.pk if actor else None
        label, role = (actor.email, actor.role) if actor else ("", "")
        object_type, object_key = target._meta.label_lower, str(object_id)
        detail_text = json.dumps(detail)
        # the event's columns in canonical order, as audit verify reads them back
        full, signed = self.forms(
            event_id, "create", actor_id, label, None, detail_text, object_key, object_type,
            occurred, "success", patient_id, "", "", role,
        )  # fmt: skip
        signature = self.mac_base.copy()
        signature.update(signed)
        mac = signature.hexdigest()
        link = self.link_base.copy()
        link.update(self.prev.encode() + full + mac.encode())
        current = link.hexdigest()
        self.events.rows.append(
            (
                event_id, occurred, actor_id, label, role, patient_id, object_type,
                object_key, "create", detail_text, mac,
            )
        )  # fmt: skip
        self.seals.rows.append((next(seal_ids), event_id, self.prev, current))
        self.prev = current
        self.count += 1


@dataclass
class _Network:
    """What every batch shares: the clinics' rooms and slots, the staff, the program, the
    register's lot and running balance per clinic, and the audit chain's head."""

    plans: list[tuple[Clinic, list[tuple[Room, User]], Iterator[tuple[int, datetime]]]]
    session_type: AppointmentType
    condition: Condition
    referrer: Referrer
    intake: User
    nurse: User
    programs: list[tuple[ProgramTemplate, SchedulePoint]]
    # clinic id -> (this run's lot, its balance in mg, the time of its last ledger entry)
    lots: dict[int, tuple[Lot, int, datetime | None]]
    dose_mg: int
    chain: _Chain


def _lot(clinic: Clinic) -> tuple[Lot, int, datetime | None]:
    """This run's lot of rapid-dissolving tablets for the clinic (an earlier run's lot keeps
    its own ledger, in its own time order), its balance, and no entry yet."""
    product = Product.objects.filter(form=ProductForm.RAPID_DISSOLVING_TABLET).first()
    if product is None:
        product = Product.objects.create(
            name="Bench ketamine RDT", form=ProductForm.RAPID_DISSOLVING_TABLET,
            strength_mg=100, unit="tablet",
        )  # fmt: skip
    run = 1
    while True:
        number = f"BENCH-{clinic.pk}" if run == 1 else f"BENCH-{clinic.pk}-{run}"
        lot, _ = Lot.objects.get_or_create(
            product=product,
            number=number,
            defaults={"expiry": date(2099, 12, 31), "supplier": "Bench pharmacy (synthetic)"},
        )
        if not LedgerEntry.objects.filter(lot=lot).exists():
            break
        run += 1
    balance, _ = Balance.objects.get_or_create(clinic=clinic, lot=lot)
    return lot, balance.quantity_mg, None


def _network(patients: int) -> _Network:
    clinics = list(Clinic.objects.select_related("jurisdiction").order_by("pk"))
    today = timezone.localdate()
    # Attended up to the Friday before this week: this week and next hold the booked ones.
    until = today - timedelta(days=today.weekday() + 3)
    per_clinic = -(-patients // len(clinics))
    plans = []
    for clinic in clinics:
        pairs = max(1, -(-per_clinic // PATIENTS_PER_ROOM))
        plans.append(
            (
                clinic,
                _rooms_and_clinicians(clinic, pairs),
                _slots(clinic, pairs, until, per_clinic),
            )
        )
    programs = [
        (point.program, point)
        for point in SchedulePoint.objects.filter(kind=MeasurementKind.BASELINE)
        .select_related("program")
        .order_by("program_id")
    ]
    lots = {clinic.pk: _lot(clinic) for clinic in clinics}
    last = AuditSeal.objects.order_by("-id").only("hash").first()
    anchor = read_anchor() or {}
    return _Network(
        plans=plans,
        session_type=AppointmentType.objects.get(code="ketamine-session"),
        condition=Condition.objects.get(code="depression"),
        referrer=Referrer.objects.order_by("pk").first(),  # type: ignore[arg-type]
        intake=User.objects.filter(role=Role.INTAKE).order_by("pk").first(),  # type: ignore[arg-type]
        nurse=User.objects.filter(role=Role.NURSE).order_by("pk").first(),  # type: ignore[arg-type]
        programs=programs,
        lots=lots,
        dose_mg=next(iter(lots.values()))[0].product.strength_mg,
        chain=_Chain(
            prev=last.hash if last else GENESIS,
            count=anchor.get("count", AuditSeal.objects.count()),
        ),
    )


def generate(patients: int, *, progress: Callable[[int], None] = lambda done: None) -> int:
    """Add `patients` synthetic patients with their history; returns the number added."""
    if connection.vendor != "postgresql":
        raise BenchDataError("The benchmark network is written by COPY: it needs PostgreSQL.")
    seed_demo()
    while seal_pending():  # the demo's events, so the generated ones chain after them
        pass
    progress(0)
    rng = random.Random(patients)  # noqa: S311 (synthetic data, not security)
    network = _network(patients)
    start_of_run = Patient.objects.count()
    done = 0
    while done < patients:
        size = min(BATCH, patients - done)
        with transaction.atomic():
            _take_seal_lock(wait=True)
            _Batch(network, rng, start_of_run + done, size).write()
        done += size
        progress(done)
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would
        cursor.execute("ANALYZE")
    return done


class _Batch:
    """`size` patients and their history, built in memory, then COPYed table by table."""

    def __init__(self, network: _Network, rng: random.Random, first: int, size: int) -> None:
        self.net, self.rng, self.first, self.size = network, rng, first, size
        self.now = timezone.now()
        self.patients = _Table(
            Patient,
            (
                "id", "clinic_id", "legal_given_name", "legal_family_name", "date_of_birth",
                "sex_at_birth", "preferred_language", "phone", "email", "created_at",
                "search_key",
            ),
        )  # fmt: skip
        self.referrals = _Table(
            Referral,
            (
                "id", "number", "clinic_id", "referrer_id", "channel", "status", "patient_id",
                "given_name", "family_name", "date_of_birth", "province", "phone",
                "condition_id", "reason", "patient_agreed", "created_at", "received_at",
                "contact_due_at", "first_contact_at",
            ),
        )  # fmt: skip
        self.enrolments = _Table(
            Enrolment, ("id", "patient_id", "program_id", "enrolled_by_id", "enrolled_at")
        )
        self.measurements = _Table(
            Measurement,
            (
                "id", "enrolment_id", "patient_id", "point_id", "kind", "instruments",
                "due_at", "opens_at", "closes_at", "sent_at", "completed_at",
            ),
        )  # fmt: skip
        self.appointments = _Table(
            Appointment,
            (
                "id", "clinic_id", "type_id", "room_id", "clinician_id", "starts_at", "ends_at",
                "status", "booked_by_id",
            ),
        )  # fmt: skip
        self.attendances = _Table(
            Attendance, ("id", "appointment_id", "patient_id", "starts_at", "ends_at", "status")
        )
        self.sessions = _Table(
            DosingSession,
            (
                "id", "attendance_id", "patient_id", "clinic_id", "enrolment_id", "state",
                "route", "fasted_as_instructed", "ride_home_arranged", "pregnancy_attestation",
                "created_at",
            ),
        )  # fmt: skip
        self.vitals = _Table(
            VitalSign,
            (
                "id", "session_id", "taken_at", "systolic", "diastolic", "pulse", "spo2",
                "respiratory_rate", "recorded_by_id", "recorded_at",
            ),
        )  # fmt: skip
        self.responses = _Table(
            QuestionnaireResponse,
            (
                "id", "patient_id", "instrument", "answers", "total", "band", "language",
                "source", "submitted_at",
            ),
        )  # fmt: skip
        self.ledger = _Table(
            LedgerEntry,
            (
                "id", "clinic_id", "lot_id", "kind", "quantity_mg", "units",
                "balance_after_mg", "recorded_by_id", "recorded_at", "reference", "session_ref",
            ),
        )  # fmt: skip

    def write(self) -> None:
        self._build()
        chain = self.net.chain
        for table in (
            self.patients, self.referrals, self.enrolments, self.measurements,
            self.appointments, self.attendances, self.sessions, self.vitals, self.responses,
            self.ledger, chain.events, chain.seals,
        ):  # fmt: skip
            table.write()
        for clinic_id, (lot, balance, _last) in self.net.lots.items():
            Balance.objects.filter(clinic_id=clinic_id, lot=lot).update(quantity_mg=balance)
        last = AuditSeal.objects.order_by("-id").only("id").first()
        anchor = read_anchor() or {}
        kept = {"legacy": anchor["legacy"]} if "legacy" in anchor else {}
        _write_anchor({**kept, "count": chain.count, "seal_id": last.pk, "hash": chain.prev})  # type: ignore[union-attr]

    def _build(self) -> None:
        """Every row of the batch, ids reserved first (a generous count where it varies)."""
        rng, size, net = self.rng, self.size, self.net
        ids = {
            table: table.reserve(count)
            for table, count in (
                (self.patients, size), (self.referrals, size), (self.enrolments, size),
                (self.measurements, size), (self.appointments, size), (self.attendances, size),
                (self.sessions, size), (self.vitals, size * READINGS),
                (self.responses, size * 3), (self.ledger, size * 2),
            )
        }  # fmt: skip
        events = net.chain.events.reserve(size * (READINGS + 12))
        seals = net.chain.seals.reserve(size * (READINGS + 12))
        audit = net.chain.record

        def event(
            actor: User | None, patient: int | None, model: Any, pk: int, at: datetime, **d: Any
        ) -> None:
            audit(
                events, seals, actor=actor, patient_id=patient, target=model, object_id=pk,
                at=at, detail=d,
            )  # fmt: skip

        for n in range(self.first, self.first + size):
            clinic, pairs, slots = net.plans[n % len(net.plans)]
            patient = next(ids[self.patients])
            given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)}{n}"
            born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
            language = rng.choice(["en", "fr"])
            phone = f"514555{n % 10000:04d}"
            created = self.now - timedelta(days=rng.randint(1, 730), minutes=rng.randint(0, 600))
            self.patients.rows.append(
                (
                    patient, clinic.pk, given, family, born, rng.choice(["female", "male"]),
                    language, phone, f"bench{n}@example.test", created,
                    fold(f"{given} {family} "),
                )
            )  # fmt: skip
            event(net.intake, patient, Patient, patient, created)
            # The referral came in before the chart was opened.
            status = rng.choice(STATUS_MIX)
            received = created - timedelta(hours=rng.randint(2, 24 * 30))
            contacted = None
            if status != Status.RECEIVED:
                contacted = received + timedelta(hours=rng.choice([1, 3, 6, 12, 20, 23, 30, 48]))
            referral = next(ids[self.referrals])
            self.referrals.rows.append(
                (
                    referral, f"B{n:07d}", clinic.pk, net.referrer.pk, "portal", status, patient,
                    given, family, born, clinic.province, phone, net.condition.pk,
                    "Treatment-resistant depression (synthetic).", True, received, received,
                    received + timedelta(hours=24),
                    contacted if contacted and contacted < self.now else None,
                )
            )  # fmt: skip
            event(net.intake, patient, Referral, referral, received, status=status)
            self._questionnaires(ids[self.responses], event, patient, language, created)
            enrolment = None
            if status == Status.ACCEPTED:
                enrolment = self._enrolment(ids, event, patient, language, created)
            self._session(ids, event, n, clinic, pairs, slots, patient, enrolment)

    def _questionnaires(
        self, ids: Iterator[int], event: Callable[..., None], patient: int, language: str,
        at: datetime, instruments: Iterable[tuple[str, int]] = (("PHQ-9", 9), ("GAD-7", 7)),
    ) -> None:  # fmt: skip
        for instrument, items in instruments:
            answers = [self.rng.randint(0, 3) for _ in range(items)]
            total = sum(answers)
            response = next(ids)
            self.responses.rows.append(
                (
                    response, patient, instrument, json.dumps(answers), total,
                    "moderate" if total >= 10 else "mild", language, Source.PORTAL, at,
                )
            )  # fmt: skip
            event(None, patient, QuestionnaireResponse, response, at, instrument=instrument)

    def _enrolment(
        self, ids: dict[_Table, Iterator[int]], event: Callable[..., None], patient: int,
        language: str, created: datetime,
    ) -> int:  # fmt: skip
        """Enrolled a week after the chart opened: the baseline measurement (its window holds
        the screening answers) and, six weeks on, a PHQ-9 again when that day has come."""
        program, point = self.rng.choice(self.net.programs)
        enrolled = min(created + timedelta(days=7), self.now)
        enrolment = next(ids[self.enrolments])
        self.enrolments.rows.append((enrolment, patient, program.pk, self.net.intake.pk, enrolled))
        event(self.net.intake, patient, Enrolment, enrolment, enrolled)
        due = enrolled + timedelta(days=point.offset_days)
        self.measurements.rows.append(
            (
                next(ids[self.measurements]), enrolment, patient, point.pk, point.kind,
                json.dumps(point.instruments), due, due - timedelta(days=point.opens_days_before),
                due + timedelta(days=point.closes_days_after), enrolled, enrolled,
            )
        )  # fmt: skip
        later = enrolled + timedelta(days=42)
        if later < self.now:
            self._questionnaires(
                ids[self.responses], event, patient, language, later, (("PHQ-9", 9),)
            )
        return enrolment

    def _session(
        self, ids: dict[_Table, Iterator[int]], event: Callable[..., None], n: int,
        clinic: Clinic, pairs: list[tuple[Room, User]], slots: Iterator[tuple[int, datetime]],
        patient: int, enrolment: int | None,
    ) -> None:  # fmt: skip
        net = self.net
        mine = n // len(net.plans)  # the patient's number within its clinic
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
        ends = starts + timedelta(hours=3)
        status = AppointmentStatus.BOOKED if booked else AppointmentStatus.ATTENDED
        appointment, attendance = next(ids[self.appointments]), next(ids[self.attendances])
        self.appointments.rows.append(
            (
                appointment, clinic.pk, net.session_type.pk, room.pk, clinician.pk, starts, ends,
                status, net.intake.pk,
            )
        )  # fmt: skip
        self.attendances.rows.append((attendance, appointment, patient, starts, ends, status))
        booked_at = starts - timedelta(days=14)
        event(net.intake, patient, Appointment, appointment, booked_at)
        if booked:
            return
        session = next(ids[self.sessions])
        self.sessions.rows.append(
            (
                session, attendance, patient, clinic.pk, enrolment, "discharged",
                "sublingual_rdt", True, True, "not_pregnant", starts,
            )
        )  # fmt: skip
        event(net.nurse, patient, DosingSession, session, starts)
        rng, vitals = self.rng, ids[self.vitals]
        for k in range(READINGS):
            taken = starts + timedelta(minutes=30 + 15 * k)
            vital = next(vitals)
            self.vitals.rows.append(
                (
                    vital, session, taken, rng.randint(110, 150), rng.randint(65, 95),
                    rng.randint(60, 100), rng.randint(94, 99), rng.randint(12, 18),
                    net.nurse.pk, taken,
                )
            )  # fmt: skip
            event(net.nurse, patient, VitalSign, vital, taken, baseline=False, alerts=[])
        self._dose(ids[self.ledger], event, clinic, patient, session, starts)

    def _dose(
        self, ids: Iterator[int], event: Callable[..., None], clinic: Clinic, patient: int,
        session: int, at: datetime,
    ) -> None:  # fmt: skip
        """The tablet taken from the register (a delivery first when the lot runs low), each
        entry recorded no earlier than the one before it, as the register's service would."""
        net = self.net
        lot, balance, last = net.lots[clinic.pk]
        if balance < net.dose_mg:
            balance += RECEIPT_MG
            entry = next(ids)
            delivered = (
                at - timedelta(hours=1) if last is None else max(last, at - timedelta(hours=1))
            )
            self.ledger.rows.append(
                (
                    entry, clinic.pk, lot.pk, "receipt", RECEIPT_MG, None, balance,
                    net.nurse.pk, delivered, f"BENCH-{entry}", "",
                )
            )  # fmt: skip
            event(net.nurse, None, LedgerEntry, entry, delivered)
        balance -= net.dose_mg
        entry = next(ids)
        self.ledger.rows.append(
            (
                entry, clinic.pk, lot.pk, "administration", -net.dose_mg, 1, balance,
                net.nurse.pk, at, "", str(session),
            )
        )  # fmt: skip
        event(net.nurse, patient, LedgerEntry, entry, at, session=session)
        net.lots[clinic.pk] = (lot, balance, at)
