"""The measurement schedule: made at enrolment from the program's data, dated as sessions are
booked, sent, reminded at most three times, done when answered, missed (and told) when not."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.outcomes.models import Measurement, SchedulePoint
from kapclinic.outcomes.services import program_end, sweep_measurements
from kapclinic.screening.models import Assignment, Task
from tests.outcomes.conftest import answered, book_session


def _moments(enrolment: Any) -> list[tuple[str, int]]:
    return sorted(enrolment.measurements.values_list("kind", "sequence"))


def test_each_program_has_its_schedule_as_data(programs: dict[str, Any]) -> None:
    points = SchedulePoint.objects.filter(program=programs["standard"])
    assert sorted((p.kind, p.months, p.offset_days) for p in points) == [
        ("baseline", 0, 0),
        ("before_session", 0, 0),
        ("end_of_program", 0, 0),
        ("follow_up", 1, 30),
        ("follow_up", 3, 91),
        ("follow_up", 6, 182),
    ]


def test_enrolment_makes_baseline_one_per_session_end_and_three_follow_ups(
    enrolled: Any,
) -> None:
    sessions = enrolled.program.dosing_sessions
    assert _moments(enrolled) == sorted(
        [("baseline", 0), ("end_of_program", 0)]
        + [("before_session", n) for n in range(1, sessions + 1)]
        + [("follow_up", 1), ("follow_up", 3), ("follow_up", 6)]
    )
    baseline = enrolled.measurements.get(kind="baseline")
    assert baseline.due_at == enrolled.enrolled_at
    assert baseline.opens_at == enrolled.enrolled_at - timedelta(days=30)
    assert baseline.instruments == ["PHQ-9", "GAD-7", "PCL-5"]
    end = program_end(enrolled)
    assert end == enrolled.enrolled_at + timedelta(weeks=enrolled.program.max_weeks)
    six = enrolled.measurements.get(kind="follow_up", sequence=6)
    assert six.due_at == end + timedelta(days=182)
    # Sessions not booked yet: the measurements before them have no date.
    assert not enrolled.measurements.filter(kind="before_session", due_at__isnull=False).exists()
    assert AuditEvent.objects.filter(
        patient=enrolled.patient, detail__measurements=len(_moments(enrolled))
    ).exists()


def test_a_booked_session_dates_the_measurement_before_it(
    enrolled: Any, network: dict[str, Any]
) -> None:
    starts = timezone.now() + timedelta(days=10)
    book_session(enrolled, starts, network["physician"])
    sweep_measurements()
    first = enrolled.measurements.get(kind="before_session", sequence=1)
    assert (first.due_at, first.opens_at, first.closes_at) == (
        starts,
        starts - timedelta(days=3),
        starts,
    )
    assert enrolled.measurements.get(kind="before_session", sequence=2).due_at is None


def test_a_screening_answer_within_30_days_is_the_baseline(
    network: dict[str, Any], programs: dict[str, Any]
) -> None:
    from kapclinic.care.services import enrol
    from tests.factories import signed_eligible

    patient = network["patient_a"]
    patient.email = "canary@example.test"
    patient.save()
    for code in ("PHQ-9", "GAD-7", "PCL-5"):
        answered(patient, code, 12, at=timezone.now() - timedelta(days=20))
    signed_eligible(patient)
    enrolment = enrol(by=network["intake"], patient=patient, program=programs["standard"])
    assert sweep_measurements()["done"] == 1
    assert enrolment.measurements.get(kind="baseline").status == "done"
    assert mail.outbox == []  # nothing to ask


def test_the_link_is_sent_then_reminded_three_times_then_missed_and_told(
    enrolled: Any, network: dict[str, Any], settings: Any
) -> None:
    # given the baseline is open and unanswered
    now = timezone.now()
    assert sweep_measurements(now)["sent"] == 1
    baseline = enrolled.measurements.get(kind="baseline")
    assert baseline.sent_at == now and len(mail.outbox) == 1
    assert "portal" in mail.outbox[0].body  # patient A has a portal account
    assert set(
        Assignment.objects.filter(patient=enrolled.patient).values_list("instrument", flat=True)
    ) == {"PHQ-9", "GAD-7", "PCL-5"}
    # when the worker sweeps every day for two weeks
    for day in range(1, 15):
        sweep_measurements(now + timedelta(days=day, minutes=1))
    # then three reminders, two days apart, and no more
    baseline.refresh_from_db()
    assert baseline.reminders_sent == settings.OUTCOMES_MAX_REMINDERS == 3
    assert len(mail.outbox) == 4
    assert "reminder" in mail.outbox[1].subject.lower()
    # and a day after the window closes it is missed, and the care team is told
    sweep_measurements(baseline.closes_at + timedelta(minutes=1))
    baseline.refresh_from_db()
    assert baseline.status == "missed"
    task = Task.objects.get(patient=enrolled.patient, assignee=network["therapist"])
    assert task.title == "Outcome questionnaires not answered: Baseline"


def test_answering_after_the_link_closes_the_measurement_as_done(enrolled: Any) -> None:
    now = timezone.now()
    sweep_measurements(now)
    for code in ("PHQ-9", "GAD-7", "PCL-5"):
        answered(enrolled.patient, code, 10, at=now + timedelta(hours=1))
    assert sweep_measurements(now + timedelta(hours=2))["done"] == 1
    sweep_measurements(now + timedelta(days=20))
    assert enrolled.measurements.get(kind="baseline").status == "done"
    assert len(mail.outbox) == 1


def test_one_questionnaire_of_three_does_not_complete_it(enrolled: Any) -> None:
    now = timezone.now()
    answered(enrolled.patient, "PHQ-9", 10, at=now)
    assert sweep_measurements(now + timedelta(minutes=1))["done"] == 0


def test_a_patient_without_email_is_not_sent_anything_and_shows_as_missed(
    enrolled: Any,
) -> None:
    enrolled.patient.email = ""
    enrolled.patient.save()
    now = timezone.now()
    assert sweep_measurements(now)["sent"] == 0
    sweep_measurements(now + timedelta(days=15))
    assert enrolled.measurements.get(kind="baseline").status == "missed"


@pytest.mark.parametrize("runs", [2])
def test_a_repeated_sweep_sends_nothing_twice(enrolled: Any, runs: int) -> None:
    now = timezone.now()
    for _ in range(runs):
        sweep_measurements(now)
    assert len(mail.outbox) == 1
    assert Measurement.objects.filter(sent_at__isnull=False).count() == 1
