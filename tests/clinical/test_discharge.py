"""Every discharge criterion, met and unmet; ready only when all are met."""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.discharge import (
    DischargeConfig,
    DischargeFacts,
    InvalidDischargeConfig,
    discharge_readiness,
)
from kapclinic.clinical.reasons import Check
from kapclinic.clinical.vitals import InvalidVitals, VitalsLimits
from tests.clinical.dosing_examples import DOSED_AT, after_dose, reading

CRITERIA = [
    "discharge.observation_time",
    "discharge.vitals",
    "discharge.alert_oriented",
    "discharge.walking",
    "discharge.escort",
]


def facts(minutes: float = 125, **changes: Any) -> DischargeFacts:
    """Two hours and five minutes after the dose, recovered, with an escort, unless told."""
    base = DischargeFacts(
        last_dose_at=DOSED_AT,
        now=DOSED_AT + timedelta(minutes=minutes),
        readings=(after_dose(-10), after_dose(40, systolic=150, diastolic=95), after_dose(120)),
        alert_and_oriented=True,
        walking_steadily=True,
        escort_present=True,
    )
    return replace(base, **changes)


def _criterion(code: str, config: DischargeConfig | None = None, **changes: Any) -> Check:
    readiness = discharge_readiness(facts(**changes), config)
    return next(check for check in readiness.criteria if check.code == code)


def test_every_criterion_is_reported_and_a_recovered_patient_is_ready() -> None:
    readiness = discharge_readiness(facts())
    assert [check.code for check in readiness.criteria] == CRITERIA
    assert readiness.ready
    assert readiness.unmet == ()


@pytest.mark.parametrize(
    ("minutes", "met"), [(119, False), (119.99, False), (120, True), (121, True), (300, True)]
)
def test_at_least_two_hours_of_observation_since_the_last_dose(minutes: float, met: bool) -> None:
    check = _criterion("discharge.observation_time", minutes=minutes)
    assert check.met is met
    assert check.params["minutes_required"] == 120


def test_the_observation_sentence_gives_the_minutes() -> None:
    check = _criterion("discharge.observation_time", minutes=95)
    assert check.sentence == (
        "Observed for 95 minutes since the last dose; at least 120 are required."
    )


def test_the_observation_time_counts_from_the_last_dose() -> None:
    second_dose = DOSED_AT + timedelta(minutes=30)
    check = _criterion("discharge.observation_time", minutes=125, last_dose_at=second_dose)
    assert not check.met
    assert check.params["minutes_observed"] == 95


def test_the_minimum_observation_time_comes_from_configuration() -> None:
    config = DischargeConfig(minimum_observation=timedelta(hours=3))
    assert not _criterion("discharge.observation_time", config, minutes=150).met
    assert _criterion("discharge.observation_time", config, minutes=180).met


@pytest.mark.parametrize("minimum", [timedelta(0), timedelta(minutes=-5)])
def test_a_minimum_observation_time_that_cannot_be_meant_is_refused(minimum: timedelta) -> None:
    with pytest.raises(InvalidDischargeConfig):
        DischargeConfig(minimum_observation=minimum)


@pytest.mark.parametrize(
    ("readings", "met", "sentence"),
    [
        (
            (after_dose(40, systolic=150), after_dose(120)),
            True,
            "The latest vital signs are back within the limits.",
        ),
        (
            (after_dose(120), after_dose(40, systolic=150)),
            True,
            "The latest vital signs are back within the limits.",
        ),
        (
            (after_dose(40), after_dose(120, systolic=142)),
            False,
            "The latest vital signs are not back within the limits: Systolic blood pressure "
            "142 mmHg is above the highest acceptable value, 139 mmHg.",
        ),
        ((after_dose(-10),), False, "No vital signs have been taken since the last dose."),
        ((), False, "No vital signs have been taken since the last dose."),
    ],
)
def test_the_latest_vitals_since_the_dose_must_be_back_within_limits(
    readings: tuple, met: bool, sentence: str
) -> None:
    check = _criterion("discharge.vitals", readings=readings)
    assert check.met is met
    assert check.sentence == sentence


@pytest.mark.parametrize(("systolic", "met"), [(139, True), (140, False)])
def test_the_vitals_limit_edge_at_discharge(systolic: int, met: bool) -> None:
    readings = (after_dose(120, systolic=systolic),)
    assert _criterion("discharge.vitals", readings=readings).met is met


def test_discharge_vitals_limits_come_from_configuration() -> None:
    config = DischargeConfig(limits=VitalsLimits(systolic_max=159, diastolic_max=99))
    readings = (after_dose(120, systolic=150, diastolic=95),)
    assert _criterion("discharge.vitals", config, readings=readings).met
    assert not _criterion("discharge.vitals", readings=readings).met


@pytest.mark.parametrize(
    ("code", "field", "unmet_sentence"),
    [
        (
            "discharge.alert_oriented",
            "alert_and_oriented",
            "The patient is not yet alert and oriented.",
        ),
        ("discharge.walking", "walking_steadily", "The patient does not yet walk steadily."),
        ("discharge.escort", "escort_present", "No escort is present to take the patient home."),
    ],
)
def test_each_observed_criterion_met_and_unmet(code: str, field: str, unmet_sentence: str) -> None:
    assert _criterion(code).met
    check = _criterion(code, **{field: False})
    assert not check.met
    assert check.sentence == unmet_sentence
    assert [c.code for c in discharge_readiness(facts(**{field: False})).unmet] == [code]


@given(st.booleans(), st.booleans(), st.booleans(), st.integers(0, 400), st.integers(120, 170))
def test_ready_exactly_when_every_criterion_is_met(
    oriented: bool, walking: bool, escort: bool, minutes: int, systolic: int
) -> None:
    readiness = discharge_readiness(
        facts(
            minutes=minutes,
            readings=(reading(DOSED_AT, systolic=systolic),),
            alert_and_oriented=oriented,
            walking_steadily=walking,
            escort_present=escort,
        )
    )
    expected = oriented and walking and escort and minutes >= 120 and systolic <= 139
    assert readiness.ready is expected
    assert len(readiness.criteria) == len(CRITERIA)


def test_times_must_be_timezone_aware_and_now_after_the_dose() -> None:
    with pytest.raises(InvalidVitals, match="timezone-aware"):
        facts(now=datetime(2026, 5, 12, 12, 0))
    with pytest.raises(InvalidVitals, match="before the dose"):
        discharge_readiness(facts(minutes=-1))
