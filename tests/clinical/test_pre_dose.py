"""Every pre-dose check, met and unmet, and the whole checklist reported every time."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.orders import Route
from kapclinic.clinical.pre_dose import (
    PRE_DOSE_CODES,
    PreDoseConfig,
    PregnancyAttestation,
    pre_dose_checks,
)
from kapclinic.clinical.reasons import Check
from kapclinic.clinical.vitals import VitalsLimits
from tests.clinical.dosing_examples import CONFIG, order, reading, ready_facts

CHECKLIST = [
    "pre_dose.treatment_consent",
    "pre_dose.recording_safeguard",
    "pre_dose.fasting",
    "pre_dose.ride_home",
    "pre_dose.pregnancy_status",
    "pre_dose.baseline_vitals",
    "pre_dose.suicidality_review",
    "pre_dose.order",
]


def _check(code: str, config: PreDoseConfig = CONFIG, **changes: Any) -> Check:
    checks = pre_dose_checks(ready_facts(**changes), config)
    return next(check for check in checks if check.code == code)


def test_every_check_runs_in_checklist_order_and_all_are_met_when_ready() -> None:
    checks = pre_dose_checks(ready_facts(), CONFIG)
    assert [check.code for check in checks] == CHECKLIST
    assert set(CHECKLIST) == PRE_DOSE_CODES
    assert all(check.met for check in checks)


@pytest.mark.parametrize(
    ("code", "changes", "sentence"),
    [
        (
            "pre_dose.treatment_consent",
            {"treatment_consent_valid": False},
            "There is no valid treatment consent.",
        ),
        (
            "pre_dose.recording_safeguard",
            {"recording_consent": False, "alternative_safeguard_documented": False},
            "There is neither consent to record the session nor a documented alternative "
            "safeguard.",
        ),
        (
            "pre_dose.fasting",
            {"fasted_as_instructed": False},
            "The patient has not fasted as instructed before dosing.",
        ),
        (
            "pre_dose.ride_home",
            {"ride_home_arranged": False},
            "No ride home is arranged, and the patient must not drive until the next day.",
        ),
        (
            "pre_dose.pregnancy_status",
            {"pregnancy_attestation": PregnancyAttestation.NOT_ATTESTED},
            "Pregnancy status is not attested.",
        ),
        (
            "pre_dose.pregnancy_status",
            {"pregnancy_attestation": PregnancyAttestation.PREGNANT},
            "The patient attests being pregnant: ketamine may harm the baby.",
        ),
        (
            "pre_dose.baseline_vitals",
            {"baseline": None},
            "No baseline vital signs are recorded before dosing.",
        ),
        (
            "pre_dose.baseline_vitals",
            {"baseline": reading(systolic=142, pulse=104)},
            "Systolic blood pressure 142 mmHg is above the highest acceptable value, 139 mmHg. "
            "Pulse 104 beats per minute is above the highest acceptable value, 100 beats per "
            "minute.",
        ),
        (
            "pre_dose.suicidality_review",
            {"suicidality_flag_unreviewed": True},
            "An open suicidality flag has not been reviewed by a clinician.",
        ),
        ("pre_dose.order", {"order": None}, "There is no medication order for this session."),
    ],
)
def test_each_check_fails_alone_with_its_sentence(
    code: str, changes: dict[str, Any], sentence: str
) -> None:
    checks = pre_dose_checks(ready_facts(**changes), CONFIG)
    assert [check.code for check in checks if not check.met] == [code]
    assert _check(code, **changes).sentence == sentence


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({}, "The patient consents to the session being recorded."),
        (
            {"recording_consent": False, "alternative_safeguard_documented": True},
            "The documented alternative safeguard is in place instead of recording.",
        ),
    ],
)
def test_recording_consent_or_the_documented_alternative_safeguard_passes(
    changes: dict[str, Any], sentence: str
) -> None:
    check = _check("pre_dose.recording_safeguard", **changes)
    assert check.met
    assert check.sentence == sentence


@pytest.mark.parametrize(
    ("relevant", "attestation", "met"),
    [
        (False, PregnancyAttestation.NOT_ATTESTED, True),
        (True, PregnancyAttestation.NOT_PREGNANT, True),
        (True, PregnancyAttestation.NOT_ATTESTED, False),
        (True, PregnancyAttestation.PREGNANT, False),
        (True, "not_pregnant", True),
    ],
)
def test_pregnancy_status_is_needed_only_where_relevant(
    relevant: bool, attestation: PregnancyAttestation, met: bool
) -> None:
    check = _check(
        "pre_dose.pregnancy_status",
        pregnancy_relevant=relevant,
        pregnancy_attestation=attestation,
    )
    assert check.met is met


@pytest.mark.parametrize(
    ("systolic", "diastolic", "pulse", "met"),
    [
        (139, 89, 100, True),
        (140, 89, 100, False),
        (139, 90, 100, False),
        (139, 89, 101, False),
        (120, 75, 50, True),
        (120, 75, 49, False),
    ],
)
def test_baseline_blood_pressure_and_pulse_must_be_within_the_default_limits(
    systolic: int, diastolic: int, pulse: int, met: bool
) -> None:
    baseline = reading(systolic=systolic, diastolic=diastolic, pulse=pulse)
    assert _check("pre_dose.baseline_vitals", baseline=baseline).met is met


def test_baseline_limits_come_from_configuration() -> None:
    stricter = PreDoseConfig(max_dose_mg=Decimal(200), limits=VitalsLimits(systolic_max=129))
    check = _check("pre_dose.baseline_vitals", stricter, baseline=reading(systolic=130))
    assert not check.met
    assert check.params["alerts"] == "vitals.systolic.high"
    assert _check("pre_dose.baseline_vitals", baseline=reading(systolic=130)).met


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"order": order(signed_at=None)}, "order.unsigned"),
        ({"today": date(2027, 1, 1)}, "order.expired"),
        ({"session_route": Route.INTRANASAL_SPRAY}, "order.route_mismatch"),
        ({"order": order(dose_mg=Decimal(250))}, "order.dose_above_maximum"),
        ({"order": order(route=Route.INTRAVENOUS)}, "order.route_not_allowed,order.route_mismatch"),
        (
            {"order": order(signed_at=None), "today": date(2027, 1, 1)},
            "order.expired,order.unsigned",
        ),
    ],
)
def test_the_order_must_be_signed_unexpired_for_this_route_and_within_the_maximum(
    changes: dict[str, Any], problems: str
) -> None:
    check = _check("pre_dose.order", **changes)
    assert not check.met
    assert check.params["problems"] == problems


def test_a_valid_order_passes_with_its_sentence() -> None:
    check = _check("pre_dose.order")
    assert check.met
    assert check.sentence == "The medication order is signed, in date and for this route."


def test_the_maximum_dose_comes_from_configuration() -> None:
    lower = PreDoseConfig(max_dose_mg=Decimal(90))
    # The order titrates 50 then 75 mg and settles at 100 mg: the last is above 90 mg.
    assert _check("pre_dose.order", lower).params["problems"] == "order.dose_above_maximum"


FLAGS = {
    "treatment_consent_valid": "pre_dose.treatment_consent",
    "fasted_as_instructed": "pre_dose.fasting",
    "ride_home_arranged": "pre_dose.ride_home",
}


@given(st.fixed_dictionaries({name: st.booleans() for name in FLAGS}), st.booleans())
def test_every_unmet_fact_is_reported_and_nothing_else(
    flags: dict[str, bool], flag_unreviewed: bool
) -> None:
    checks = pre_dose_checks(
        ready_facts(**flags, suicidality_flag_unreviewed=flag_unreviewed), CONFIG
    )
    unmet = {check.code for check in checks if not check.met}
    expected = {FLAGS[name] for name, value in flags.items() if not value}
    assert unmet == expected | ({"pre_dose.suicidality_review"} if flag_unreviewed else set())
    assert len(checks) == len(CHECKLIST)
