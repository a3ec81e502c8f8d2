"""Vital-sign alerts at every limit edge, and the monitoring schedule after a dose."""

from datetime import datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kapclinic.clinical.vitals import (
    MONITORING_LIMITS,
    PRE_DOSE_LIMITS,
    Direction,
    InvalidVitals,
    MonitoringSchedule,
    ReadingDue,
    Vital,
    VitalsLimits,
    alerts,
    minutes_since_dose,
    missed_readings,
    next_reading_due,
    readings_missing_at_discharge,
    within_limits,
)
from tests.clinical.dosing_examples import DOSED_AT, after_dose, reading

LIMITS = {"pre_dose": PRE_DOSE_LIMITS, "monitoring": MONITORING_LIMITS}
EDGES = [
    (name, vital, direction, bound)
    for name, limits in LIMITS.items()
    for vital, (low, high) in limits.ranges().items()
    for direction, bound in ((Direction.LOW, low), (Direction.HIGH, high))
    if bound is not None
]


def _beyond(bound: int, direction: Direction, step: int) -> int:
    return bound + step if direction is Direction.HIGH else bound - step


@pytest.mark.parametrize(("name", "vital", "direction", "bound"), EDGES)
def test_every_limit_alerts_beyond_the_edge_and_not_at_or_inside_it(
    name: str, vital: Vital, direction: Direction, bound: int
) -> None:
    limits = LIMITS[name]
    assert alerts(reading(**{vital.value: bound}), limits) == ()
    assert alerts(reading(**{vital.value: _beyond(bound, direction, -1)}), limits) == ()
    (alert,) = alerts(reading(**{vital.value: _beyond(bound, direction, 1)}), limits)
    assert (alert.vital, alert.limit, alert.direction) == (vital, bound, direction)
    assert alert.value == _beyond(bound, direction, 1)
    assert alert.code == f"vitals.{vital.value}.{direction.value}"


@pytest.mark.parametrize(
    ("limits", "systolic", "diastolic", "codes"),
    [
        # SPRAVATO US PI 5.6 / CLINICAL.md 3.3: hold before dosing at 140/90 or more.
        (PRE_DOSE_LIMITS, 139, 89, []),
        (PRE_DOSE_LIMITS, 140, 89, ["vitals.systolic.high"]),
        (PRE_DOSE_LIMITS, 139, 90, ["vitals.diastolic.high"]),
        (PRE_DOSE_LIMITS, 140, 90, ["vitals.systolic.high", "vitals.diastolic.high"]),
        # CLINICAL.md 3.3 suggested default: escalate after dosing at 180/110 or more.
        (MONITORING_LIMITS, 179, 109, []),
        (MONITORING_LIMITS, 180, 100, ["vitals.systolic.high"]),
        (MONITORING_LIMITS, 170, 110, ["vitals.diastolic.high"]),
        # The expected rise after a dose does not alert during monitoring.
        (MONITORING_LIMITS, 150, 95, []),
        # NEWS2: systolic 90 or less scores 3.
        (PRE_DOSE_LIMITS, 90, 60, ["vitals.systolic.low"]),
    ],
)
def test_the_published_blood_pressure_thresholds(
    limits: VitalsLimits, systolic: int, diastolic: int, codes: list[str]
) -> None:
    found = alerts(reading(systolic=systolic, diastolic=diastolic), limits)
    assert [alert.code for alert in found] == codes


def test_an_alert_says_which_value_the_limit_and_the_direction() -> None:
    (high,) = alerts(reading(systolic=141), PRE_DOSE_LIMITS)
    assert high.sentence == (
        "Systolic blood pressure 141 mmHg is above the highest acceptable value, 139 mmHg."
    )
    assert dict(high.params) == {
        "vital": "systolic",
        "value": 141,
        "limit": 139,
        "direction": "high",
    }
    (low,) = alerts(reading(spo2=91), MONITORING_LIMITS)
    assert low.sentence == (
        "Oxygen saturation (SpO2) 91 % is below the lowest acceptable value, 92 %."
    )


def test_every_value_outside_a_limit_is_reported() -> None:
    found = alerts(
        reading(systolic=150, diastolic=95, pulse=110, spo2=90, respiratory_rate=25),
        PRE_DOSE_LIMITS,
    )
    assert {(a.vital, a.direction) for a in found} == {
        (Vital.SYSTOLIC, Direction.HIGH),
        (Vital.DIASTOLIC, Direction.HIGH),
        (Vital.PULSE, Direction.HIGH),
        (Vital.SPO2, Direction.LOW),
        (Vital.RESPIRATORY_RATE, Direction.HIGH),
    }
    assert not within_limits(reading(pulse=45), PRE_DOSE_LIMITS)


def test_a_respiratory_rate_not_counted_raises_no_alert() -> None:
    assert alerts(reading(respiratory_rate=None), PRE_DOSE_LIMITS) == ()


def test_a_limit_set_to_none_is_not_checked() -> None:
    limits = VitalsLimits(spo2_min=None, pulse_max=None)
    assert alerts(reading(spo2=80, pulse=150), limits) == ()


@given(st.data())
def test_any_reading_inside_the_limits_raises_no_alert(data: st.DataObject) -> None:
    limits = data.draw(st.sampled_from(list(LIMITS.values())))
    values = {
        vital.value: data.draw(st.integers(low or 1, high or 100))
        for vital, (low, high) in limits.ranges().items()
        if vital is not Vital.DIASTOLIC
    }
    values["diastolic"] = data.draw(st.integers(40, 89))  # below every systolic drawn
    assert alerts(reading(**values), limits) == ()


@given(st.integers(70, 260), st.integers(30, 160), st.integers(20, 220), st.integers(60, 100))
def test_an_alert_is_raised_exactly_for_the_values_outside_their_range(
    systolic: int, diastolic: int, pulse: int, spo2: int
) -> None:
    assume(diastolic < systolic)
    sample = reading(systolic=systolic, diastolic=diastolic, pulse=pulse, spo2=spo2)
    for limits in LIMITS.values():
        outside = {
            vital
            for vital, (low, high) in limits.ranges().items()
            if (value := sample.value(vital)) is not None
            and ((low is not None and value < low) or (high is not None and value > high))
        }
        assert {alert.vital for alert in alerts(sample, limits)} == outside


@pytest.mark.parametrize(
    "values",
    [
        {"systolic": 0},
        {"pulse": -1},
        {"spo2": 101},
        {"respiratory_rate": 0},
        {"systolic": 80, "diastolic": 80},
        {"pulse": True},
    ],
)
def test_an_impossible_reading_is_refused(values: dict[str, int]) -> None:
    with pytest.raises(InvalidVitals):
        reading(**values)


def test_a_reading_needs_a_timezone_aware_time() -> None:
    with pytest.raises(InvalidVitals, match="timezone-aware"):
        reading(at=datetime(2026, 5, 12, 9, 30))


@pytest.mark.parametrize(
    "changes", [{"pulse_min": 120, "pulse_max": 100}, {"spo2_min": 94.5}, {"systolic_max": True}]
)
def test_limits_that_cannot_be_meant_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidVitals):
        VitalsLimits(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [(timedelta(0), 0), (timedelta(seconds=59), 0), (timedelta(minutes=40, seconds=30), 40)],
)
def test_minutes_since_dose_counts_whole_minutes(elapsed: timedelta, minutes: int) -> None:
    assert minutes_since_dose(DOSED_AT, DOSED_AT + elapsed) == minutes


def test_minutes_since_dose_refuses_a_time_before_the_dose_or_a_naive_time() -> None:
    with pytest.raises(InvalidVitals, match="before the dose"):
        minutes_since_dose(DOSED_AT, DOSED_AT - timedelta(minutes=1))
    with pytest.raises(InvalidVitals, match="timezone-aware"):
        minutes_since_dose(DOSED_AT, datetime(2026, 5, 12, 10, 0))


def _due(minute: int, now_minute: float) -> ReadingDue:
    return ReadingDue(minute, DOSED_AT + timedelta(minutes=minute), now_minute > minute)


@pytest.mark.parametrize(
    ("taken", "now", "expected"),
    [
        ([], 0, _due(0, 0)),
        ([], 1, _due(0, 1)),
        # A reading up to 5 minutes early counts; the baseline half an hour before does not.
        ([-5], 10, _due(40, 10)),
        ([-6], 10, _due(0, 10)),
        ([0], 35, _due(40, 35)),
        ([0], 41, _due(40, 41)),
        ([0, 35], 60, _due(120, 60)),
        ([0, 40], 121, _due(120, 121)),
        ([0, 40, 115], 130, None),
        ([0, 40, 125], 130, None),
        # The 0-minute slot closed at 35 without a reading: the 40-minute one is next.
        ([], 36, _due(40, 36)),
        ([], 200, _due(120, 200)),
    ],
)
def test_the_next_reading_due_follows_the_0_40_120_schedule(
    taken: list[float], now: float, expected: ReadingDue | None
) -> None:
    readings = [after_dose(minute) for minute in taken]
    assert next_reading_due(DOSED_AT, readings, DOSED_AT + timedelta(minutes=now)) == expected


@pytest.mark.parametrize(
    ("taken", "now", "missed"),
    [
        ([], 34, ()),
        ([], 35, (0,)),
        ([0], 115, (40,)),
        ([], 500, (0, 40)),
        ([0, 40], 500, ()),
        ([0, 38, 40], 500, ()),
    ],
)
def test_a_slot_that_closed_without_a_reading_is_missed(
    taken: list[float], now: float, missed: tuple[int, ...]
) -> None:
    readings = [after_dose(minute) for minute in taken]
    assert missed_readings(DOSED_AT, readings, DOSED_AT + timedelta(minutes=now)) == missed


@pytest.mark.parametrize(
    ("taken", "now", "missing"),
    [
        ([0, 40, 120], 125, ()),
        ([0, 40, 116], 121, ()),  # the last reading may be a few minutes early
        ([0, 120], 121, (40,)),  # the 40-minute reading skipped: only the last was checked
        ([0, 40], 121, (120,)),  # leaving without the reading before completion
        ([40, 120], 130, (0,)),
        ([0, 40], 114, ()),  # the last slot is not open yet
        ([], 121, (0, 40, 120)),
    ],
)
def test_at_discharge_every_scheduled_reading_opened_so_far_is_required(
    taken: list[float], now: float, missing: tuple[int, ...]
) -> None:
    readings = [after_dose(minute) for minute in taken]
    at = DOSED_AT + timedelta(minutes=now)
    assert readings_missing_at_discharge(DOSED_AT, readings, at) == missing


def test_a_configured_schedule_is_followed() -> None:
    schedule = MonitoringSchedule(minutes=(0, 15, 30, 60), early_minutes=0)
    readings = [after_dose(0), after_dose(15)]
    due = next_reading_due(DOSED_AT, readings, DOSED_AT + timedelta(minutes=20), schedule)
    assert due == ReadingDue(30, DOSED_AT + timedelta(minutes=30), overdue=False)


@pytest.mark.parametrize(
    "changes", [{"minutes": ()}, {"minutes": (40, 0)}, {"minutes": (0, 0)}, {"early_minutes": -1}]
)
def test_a_schedule_that_cannot_be_followed_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidVitals):
        MonitoringSchedule(**changes)  # type: ignore[arg-type]
