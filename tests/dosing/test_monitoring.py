"""After the dose: readings start the monitoring, alerts reach the physician on site, a serious
event reaches the medical director, the therapist writes the note; then discharge."""

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.audit.models import AuditEvent
from kapclinic.dosing import monitoring, services
from kapclinic.dosing.errors import DosingError
from kapclinic.errors import Conflict, NotPermitted
from kapclinic.scheduling.models import Availability
from kapclinic.screening.models import Task
from tests.dosing.conftest import BASELINE, cleared, dosed


def reading(ready: dict[str, Any], session: Any, minutes_ago: int = 0, **values: Any) -> Any:
    return monitoring.record_vitals(
        by=ready["nurse"],
        session_id=session.pk,
        taken_at=timezone.now() - timedelta(minutes=minutes_ago),
        values=BASELINE | values,
    )


def test_the_first_reading_after_the_dose_starts_the_monitoring(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=10)
    vital = reading(ready, session)
    session.refresh_from_db()
    assert session.state == "monitoring" and vital.alerts == []
    assert not Task.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(vital.pk), detail__alerts=[]).exists()


def test_a_reading_above_the_limit_alerts_the_physician_on_site(ready: dict[str, Any]) -> None:
    # given the physician works today, all day, and the director does not
    Availability.objects.create(
        clinician=ready["physician"],
        clinic=ready["montreal"],
        weekday=timezone.localtime(timezone=ready["montreal"].tzinfo).weekday(),
        starts=time(0),
        ends=time(23, 59, 59),
    )
    session = dosed(ready, minutes_ago=40)
    # when a reading is above the monitoring limit
    vital = reading(ready, session, systolic=185)
    # then only the physician on site gets an urgent task naming the value and the limit
    assert [a["code"] for a in vital.alerts] == ["vitals.systolic.high"]
    task = Task.objects.get()
    assert task.assignee == ready["physician"] and task.urgent
    assert "Systolic blood pressure 185 mmHg is above the highest acceptable value, 179 mmHg" in (
        task.title
    )


def test_readings_are_refused_before_the_dose(ready: dict[str, Any]) -> None:
    with freeze_time(timezone.now() - timedelta(minutes=40)):
        session = cleared(ready)
    with pytest.raises(Conflict):
        reading(ready, session)
    session = ready["attendance"].dosing_session
    services.record_dose(
        by=ready["nurse"],
        session_id=session.pk,
        given_at=timezone.now() - timedelta(minutes=5),
        dose_mg=100,
        lot=ready["lot"],
    )
    with pytest.raises(DosingError, match="The time of the reading cannot be before the dose"):
        reading(ready, session, minutes_ago=30)


def test_an_impossible_reading_is_refused_with_its_reason(ready: dict[str, Any]) -> None:
    session = dosed(ready)
    with pytest.raises(DosingError, match="the diastolic value must be below the systolic"):
        reading(ready, session, systolic=80, diastolic=90)


def test_a_therapist_records_vitals_but_an_intake_coordinator_does_not(
    ready: dict[str, Any],
) -> None:
    session = dosed(ready)
    monitoring.record_vitals(
        by=ready["therapist"], session_id=session.pk, taken_at=timezone.now(), values=BASELINE
    )
    with pytest.raises(NotPermitted):
        monitoring.record_vitals(
            by=ready["intake"], session_id=session.pk, taken_at=timezone.now(), values=BASELINE
        )


def event(ready: dict[str, Any], session: Any, **fields: Any) -> Any:
    return monitoring.record_adverse_event(
        by=ready["nurse"],
        session_id=session.pk,
        **({"kind": "nausea", "severity": "mild", "onset_at": timezone.now()} | fields),
    )


def test_nausea_is_recorded_without_troubling_the_medical_director(ready: dict[str, Any]) -> None:
    session = dosed(ready)
    recorded = event(ready, session, action="Ondansetron offered", outcome="Settled")
    assert recorded.kind == "nausea" and not recorded.serious
    assert not Task.objects.filter(assignee=ready["director"]).exists()


def test_a_serious_event_notifies_the_medical_director(ready: dict[str, Any]) -> None:
    session = dosed(ready)
    recorded = event(
        ready,
        session,
        kind="raised_blood_pressure",
        severity="severe",
        serious_outcomes=["hospitalization"],
    )
    assert recorded.serious
    task = Task.objects.get(assignee=ready["director"])
    assert task.urgent and task.title == (
        "Serious adverse event in a ketamine session: Raised blood pressure"
    )


def test_an_other_event_must_say_what_it_was(ready: dict[str, Any]) -> None:
    session = dosed(ready)
    with pytest.raises(DosingError, match=r"Describe an adverse event of kind other\."):
        event(ready, session, kind="other")


def test_the_therapist_writes_the_note_with_the_setting(ready: dict[str, Any]) -> None:
    session = dosed(ready)
    note = monitoring.write_session_note(
        by=ready["therapist"],
        session_id=session.pk,
        intention="Let go of guilt",
        experience="Calm, visual",
        observations="Quiet, tearful at 30 min",
        music=True,
        eye_shades=True,
    )
    assert note.music and note.eye_shades and note.written_by == ready["therapist"]
    with pytest.raises(NotPermitted):
        monitoring.write_session_note(
            by=ready["nurse"],
            session_id=session.pk,
            intention="x",
            experience="",
            observations="",
            music=False,
            eye_shades=False,
        )


def discharge(ready: dict[str, Any], session: Any, **observed: Any) -> Any:
    fields = {"alert_and_oriented": True, "walking_steadily": True, "escort_present": True}
    return services.discharge(by=ready["nurse"], session_id=session.pk, **(fields | observed))


def on_schedule(ready: dict[str, Any], session: Any, dosed_minutes_ago: int) -> None:
    """The readings of the default schedule (0, 40 and 120 minutes after the dose)."""
    for minute in (0, 40, 120):
        reading(ready, session, minutes_ago=dosed_minutes_ago - minute)


def test_discharge_before_two_hours_is_refused_with_the_minutes(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=90)
    reading(ready, session)
    with pytest.raises(DosingError) as refused:
        discharge(ready, session)
    assert refused.value.message == (
        "Observed for 90 minutes since the last dose; at least 120 are required."
    )


def test_discharge_needs_every_criterion(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=135)
    reading(ready, session, minutes_ago=5, systolic=150)
    with pytest.raises(DosingError) as refused:
        discharge(ready, session, escort_present=False)
    assert refused.value.params["refusals"] == ["discharge.vitals", "discharge.escort"]


def test_discharge_once_the_criteria_hold_keeps_them(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=135)
    reading(ready, session, minutes_ago=134)
    reading(ready, session, minutes_ago=100, systolic=185)
    reading(ready, session, minutes_ago=2)
    done = discharge(ready, session)
    assert (done.missed_readings, done.missed_reason) == ([], "")
    session.refresh_from_db()
    assert session.state == "discharged"
    assert [c["code"] for c in done.criteria if c["met"]] == [
        "discharge.observation_time",
        "discharge.vitals",
        "discharge.alert_oriented",
        "discharge.walking",
        "discharge.escort",
    ]
    assert [t.to_state for t in session.transitions.all()] == [
        "checked_in",
        "pre_dose_checks",
        "cleared_to_dose",
        "dosed",
        "monitoring",
        "discharged",
    ]


def test_a_dosed_session_without_readings_cannot_be_discharged(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=130)
    with pytest.raises(DosingError, match="cannot go from dosed to discharged"):
        discharge(ready, session)


def test_the_configured_observation_time_applies(ready: dict[str, Any], settings: Any) -> None:
    settings.DOSING_MINIMUM_OBSERVATION_MINUTES = 60
    settings.DOSING_READING_MINUTES = [0, 60]
    session = dosed(ready, minutes_ago=70)
    reading(ready, session, minutes_ago=70)
    reading(ready, session)
    assert discharge(ready, session).session.state == "discharged"


def test_a_missed_scheduled_reading_refuses_the_discharge_though_the_last_is_fine(
    ready: dict[str, Any],
) -> None:
    """Only the last reading used to be checked: the 40-minute reading went unnoticed."""
    session = dosed(ready, minutes_ago=130)
    reading(ready, session, minutes_ago=130)
    reading(ready, session, minutes_ago=5)
    with pytest.raises(DosingError) as refused:
        discharge(ready, session)
    assert refused.value.code == "discharge.missed_reading"
    assert refused.value.message == (
        "The reading due 40 minutes after the dose was not taken. "
        "Take it, or write why the patient may leave without it."
    )
    session.refresh_from_db()
    assert session.state == "monitoring"
    with pytest.raises(DosingError, match="was not taken"):
        discharge(ready, session, missed_reason="   ")


def test_leaving_without_the_reading_before_completion_is_refused(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=125)
    reading(ready, session, minutes_ago=125)
    reading(ready, session, minutes_ago=85)
    with pytest.raises(DosingError, match="due 120 minutes after the dose was not taken"):
        discharge(ready, session)


def test_a_reason_lets_the_patient_leave_and_is_kept_and_audited(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=130)
    reading(ready, session, minutes_ago=5)
    why = "Patient asleep at 40 min; physician saw her at 60 min, stable."
    done = discharge(ready, session, missed_reason=f"  {why} ")
    assert (done.missed_readings, done.missed_reason) == ([0, 40], why)
    event = AuditEvent.objects.get(
        object_type="dosing.discharge", object_id=str(done.pk), action="create"
    )
    assert (event.reason, event.detail["missed_readings"]) == (why, [0, 40])


def test_every_scheduled_reading_taken_needs_no_reason(ready: dict[str, Any]) -> None:
    session = dosed(ready, minutes_ago=125)
    on_schedule(ready, session, dosed_minutes_ago=125)
    done = discharge(ready, session, missed_reason="not needed")
    assert (done.missed_readings, done.missed_reason) == ([], "")


def test_the_configured_schedule_decides_what_is_missing(
    ready: dict[str, Any], settings: Any
) -> None:
    settings.DOSING_READING_MINUTES = [0, 20, 40, 60, 80, 100, 120]
    session = dosed(ready, minutes_ago=125)
    on_schedule(ready, session, dosed_minutes_ago=125)
    with pytest.raises(DosingError) as refused:
        discharge(ready, session)
    assert "due 20, 60, 80, 100 minutes after the dose were not taken" in refused.value.message
