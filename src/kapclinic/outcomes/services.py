"""Writes for outcome measurement: a patient's schedule made at enrolment, and the sweep the
worker runs (dates of sessions booked since, links sent, up to three reminders, done, missed).
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.models import Enrolment
from kapclinic.clinical.reasons import Phrase, gettext_noop
from kapclinic.outcomes.models import Measurement, MeasurementKind, SchedulePoint
from kapclinic.outcomes.wording import moment_phrase
from kapclinic.patients.models import CareRole, Patient
from kapclinic.said import in_english, stored_phrases
from kapclinic.scheduling.models import OCCUPYING, AppointmentKind, Attendance
from kapclinic.screening.models import QuestionnaireResponse, Task

# Who is told that a measurement was missed: the patient's physicians and therapists.
TOLD_OF_MISSED = (CareRole.PHYSICIAN, CareRole.THERAPIST)


def program_end(enrolment: Enrolment) -> datetime:
    """The end of the program's window: enrolment plus its longest duration."""
    return enrolment.enrolled_at + timedelta(weeks=enrolment.program.max_weeks)


def _set_window(measurement: Measurement, due: datetime | None) -> None:
    point = measurement.point
    measurement.due_at = due
    measurement.opens_at = None if due is None else due - timedelta(days=point.opens_days_before)
    measurement.closes_at = None if due is None else due + timedelta(days=point.closes_days_after)


def _session_starts(enrolment_ids: list[int]) -> dict[int, list[datetime]]:
    """The start of each booked or attended ketamine session, by enrolment, in order."""
    starts: dict[int, list[datetime]] = defaultdict(list)
    rows = (
        Attendance.objects.filter(
            enrolment_id__in=enrolment_ids,
            status__in=OCCUPYING,
            appointment__type__kind=AppointmentKind.DOSING,
        )
        .order_by("starts_at", "id")
        .values_list("enrolment_id", "starts_at")
    )
    for enrolment_id, starts_at in rows:
        starts[enrolment_id].append(starts_at)
    return starts


def _due(
    point: SchedulePoint, enrolment: Enrolment, sequence: int, sessions: list[datetime]
) -> datetime | None:
    if point.kind == MeasurementKind.BASELINE:
        return enrolment.enrolled_at + timedelta(days=point.offset_days)
    if point.kind == MeasurementKind.BEFORE_SESSION:
        if sequence > len(sessions):
            return None
        return sessions[sequence - 1] + timedelta(days=point.offset_days)
    return program_end(enrolment) + timedelta(days=point.offset_days)


@transaction.atomic
def generate_schedule(*, by: User, enrolment: Enrolment) -> list[Measurement]:
    """The patient's measurements from the program's schedule: one per moment, one before each
    ketamine session the program plans (dated once that session is booked)."""
    points = list(SchedulePoint.objects.filter(program=enrolment.program_id))
    sessions = _session_starts([enrolment.pk]).get(enrolment.pk, [])
    made = []
    for point in points:
        sequences = (
            range(1, enrolment.program.dosing_sessions + 1)
            if point.kind == MeasurementKind.BEFORE_SESSION
            else [point.months]
        )
        for sequence in sequences:
            measurement = Measurement(
                enrolment=enrolment,
                patient_id=enrolment.patient_id,
                point=point,
                kind=point.kind,
                sequence=sequence,
                instruments=list(point.instruments),
            )
            _set_window(measurement, _due(point, enrolment, sequence, sessions))
            made.append(measurement)
    Measurement.objects.bulk_create(made)
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=enrolment.patient,
        target=enrolment,
        detail={"measurements": len(made)},
    )
    return made


def _date_sessions() -> None:
    """Before-session measurements follow their session as it is booked or moved."""
    waiting = list(
        Measurement.objects.filter(
            kind=MeasurementKind.BEFORE_SESSION, completed_at=None, missed_at=None
        ).select_related("point", "enrolment__program")
    )
    starts = _session_starts(sorted({m.enrolment_id for m in waiting}))
    changed = []
    for measurement in waiting:
        due = _due(
            measurement.point,
            measurement.enrolment,
            measurement.sequence,
            starts.get(measurement.enrolment_id, []),
        )
        if due != measurement.due_at:
            _set_window(measurement, due)
            changed.append(measurement)
    Measurement.objects.bulk_update(changed, ["due_at", "opens_at", "closes_at"])


def _answered(measurement: Measurement, responses: dict[tuple[int, str], list[datetime]]) -> bool:
    opens, closes = measurement.opens_at, measurement.closes_at
    if opens is None or closes is None:
        return False
    return all(
        any(opens <= at <= closes for at in responses.get((measurement.patient_id, code), []))
        for code in measurement.instruments
    )


def _responses_since(
    since: datetime, patient_ids: set[int]
) -> dict[tuple[int, str], list[datetime]]:
    found: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    rows = QuestionnaireResponse.objects.filter(
        patient_id__in=patient_ids, entered_in_error=False, submitted_at__gte=since
    ).values_list("patient_id", "instrument", "submitted_at")
    for patient_id, instrument, at in rows:
        found[(patient_id, instrument)].append(at)
    return found


def _claim(measurement: Measurement, **changes: object) -> bool:
    """Apply `changes` only if no other worker touched the row since it was read."""
    claimed = Measurement.objects.filter(
        pk=measurement.pk,
        completed_at=None,
        missed_at=None,
        reminders_sent=measurement.reminders_sent,
        last_sent_at=measurement.last_sent_at,
    ).update(**changes)
    return claimed == 1


def _told_of_missed(patient: Patient) -> list[User]:
    team = [
        member.user
        for member in patient.care_team.filter(
            ended_at__isnull=True, care_role__in=TOLD_OF_MISSED
        ).select_related("user")
        if member.user.is_active
    ]
    if team:
        return team
    return list(User.objects.filter(role=Role.PHYSICIAN, is_active=True, clinics=patient.clinic_id))


def _mark_missed(measurement: Measurement, now: datetime) -> None:
    with transaction.atomic():
        if not _claim(measurement, missed_at=now):
            return
        title = Phrase(
            gettext_noop("Outcome questionnaires not answered: %(moment)s"),
            {"moment": moment_phrase(measurement.kind, measurement.sequence)},
        )
        Task.objects.bulk_create(
            Task(
                assignee=user,
                patient=measurement.patient,
                title=in_english(title)[:200],
                wording=stored_phrases(title),
            )
            for user in _told_of_missed(measurement.patient)
        )
        record_event(
            actor=None,
            action=Action.UPDATE,
            patient=measurement.patient,
            target=measurement,
            detail={"measurement": "missed"},
        )


def _mark_done(measurement: Measurement, now: datetime) -> None:
    with transaction.atomic():
        if _claim(measurement, completed_at=now):
            record_event(
                actor=None,
                action=Action.UPDATE,
                patient=measurement.patient,
                target=measurement,
                detail={"measurement": "done"},
            )


def _reminder_due(measurement: Measurement, now: datetime) -> bool:
    if measurement.sent_at is None:
        return True
    if measurement.reminders_sent >= settings.OUTCOMES_MAX_REMINDERS:
        return False
    last = measurement.last_sent_at or measurement.sent_at
    return now >= last + timedelta(days=settings.OUTCOMES_REMINDER_DAYS)


def _send(measurement: Measurement, now: datetime) -> bool:
    from kapclinic.outcomes.messages import send_measurement_link

    if not measurement.patient.email:
        return False
    first = measurement.sent_at is None
    changes: dict[str, object] = {"last_sent_at": now}
    if first:
        changes["sent_at"] = now
    else:
        changes["reminders_sent"] = measurement.reminders_sent + 1
    with transaction.atomic():
        if not _claim(measurement, **changes):
            return False
        send_measurement_link(measurement, reminder=not first)
    return True


def sweep_measurements(now: datetime | None = None) -> dict[str, int]:
    """Date the sessions, then send, remind, close as done or as missed: what was done."""
    now = now or timezone.now()
    _date_sessions()
    open_ones = list(
        Measurement.objects.filter(completed_at=None, missed_at=None, opens_at__lte=now)
        .select_related("patient__user", "enrolment__enrolled_by")
        .order_by("opens_at", "id")
    )
    counts = {"done": 0, "missed": 0, "sent": 0}
    if not open_ones:
        return counts
    responses = _responses_since(
        min(m.opens_at for m in open_ones if m.opens_at), {m.patient_id for m in open_ones}
    )
    for measurement in open_ones:
        if measurement.closes_at is None:
            continue
        if _answered(measurement, responses):
            _mark_done(measurement, now)
            counts["done"] += 1
        elif now > measurement.closes_at:
            _mark_missed(measurement, now)
            counts["missed"] += 1
        elif _reminder_due(measurement, now) and _send(measurement, now):
            counts["sent"] += 1
    return counts
