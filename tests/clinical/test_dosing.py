"""Every dosing-session transition and every refusal, with its reason."""

from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.discharge import DischargeReadiness
from kapclinic.clinical.dosing import (
    FINAL_STATES,
    TRANSITIONS,
    SessionFacts,
    SessionState,
    check_transition,
    next_states,
)
from kapclinic.clinical.pre_dose import pre_dose_checks
from kapclinic.clinical.reasons import Check
from tests.clinical.dosing_examples import CONFIG, ready_facts

CLEARED = pre_dose_checks(ready_facts(), CONFIG)
DISCHARGE_CODES = [
    "discharge.observation_time",
    "discharge.vitals",
    "discharge.alert_oriented",
    "discharge.walking",
    "discharge.escort",
]
READY_TO_LEAVE = DischargeReadiness(tuple(Check(code, True, "Met.") for code in DISCHARGE_CODES))
READY = SessionFacts(
    journey_stage="experience",
    pre_dose_checks=CLEARED,
    discharge=READY_TO_LEAVE,
    stop_reason="Patient asked to stop.",
)
# sorted: the targets are a frozenset, and xdist workers must collect the same order
ALLOWED = [(c, t) for c, targets in TRANSITIONS.items() for t in sorted(targets)]
FORBIDDEN = [(c, t) for c in SessionState for t in SessionState if t not in TRANSITIONS[c]]
S = SessionState


def test_the_session_runs_in_order_from_scheduled_to_discharged() -> None:
    path = [S.SCHEDULED, S.CHECKED_IN, S.PRE_DOSE_CHECKS, S.CLEARED_TO_DOSE, S.DOSED]
    path += [S.MONITORING, S.DISCHARGED]
    forward = {(c, t) for c, t in ALLOWED if t is not S.STOPPED}
    assert forward == set(pairwise(path))


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_passes_when_its_requirements_are_met(
    current: SessionState, target: SessionState
) -> None:
    assert check_transition(current, target, READY).allowed


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_other_transition_is_refused_with_the_reason(
    current: SessionState, target: SessionState
) -> None:
    check = check_transition(current, target, READY)
    assert not check.allowed
    assert [r.code for r in check.refusals] == ["transition.not_allowed"]
    assert check.refusals[0].params == {"from": current.value, "to": target.value}


def test_a_refused_move_names_both_states() -> None:
    (refusal,) = check_transition(S.CHECKED_IN, S.DOSED, READY).refusals
    assert refusal.sentence == "A dosing session cannot go from checked in to dosed."


@pytest.mark.parametrize("state", [s for s in SessionState if s not in FINAL_STATES])
def test_a_session_may_stop_at_any_point_before_it_ends(state: SessionState) -> None:
    assert check_transition(state, S.STOPPED, SessionFacts(stop_reason="Vomiting.")).allowed


@pytest.mark.parametrize("stage", ["experience", "integrate"])
def test_check_in_is_open_at_experience_and_for_the_next_session_from_integrate(
    stage: str,
) -> None:
    assert check_transition(S.SCHEDULED, S.CHECKED_IN, SessionFacts(journey_stage=stage)).allowed


@pytest.mark.parametrize("stage", ["connect", "prepare", "reconnect", "discharged"])
def test_check_in_at_any_other_stage_is_refused_naming_the_stage(stage: str) -> None:
    check = check_transition(S.SCHEDULED, S.CHECKED_IN, SessionFacts(journey_stage=stage))
    assert [(r.code, dict(r.params)) for r in check.refusals] == [
        ("journey.not_experience", {"stage": stage})
    ]
    assert check.refusals[0].sentence.startswith(f"The journey is at {stage.capitalize()}:")


def test_check_in_without_an_enrolment_is_refused() -> None:
    check = check_transition(S.SCHEDULED, S.CHECKED_IN, SessionFacts())
    assert [r.code for r in check.refusals] == ["journey.not_enrolled"]


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
@pytest.mark.parametrize("state", [s for s in SessionState if s not in FINAL_STATES])
def test_stopping_needs_a_reason(state: SessionState, reason: str) -> None:
    check = check_transition(state, S.STOPPED, SessionFacts(stop_reason=reason))
    assert [r.code for r in check.refusals] == ["stop.reason_missing"]
    assert check.refusals[0].sentence == "Say why the session is stopped."


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_a_discharged_or_stopped_session_goes_nowhere(state: SessionState) -> None:
    assert TRANSITIONS[state] == frozenset()
    assert next_states(state, READY) == ()


def test_clearing_to_dose_needs_every_pre_dose_check_met_and_reports_each_unmet_one() -> None:
    facts = ready_facts(treatment_consent_valid=False, ride_home_arranged=False, order=None)
    checks = pre_dose_checks(facts, CONFIG)
    check = check_transition(
        S.PRE_DOSE_CHECKS, S.CLEARED_TO_DOSE, SessionFacts(pre_dose_checks=checks)
    )
    assert not check.allowed
    assert [r.code for r in check.refusals] == [
        "pre_dose.treatment_consent",
        "pre_dose.ride_home",
        "pre_dose.order",
    ]
    assert check.refusals[2].sentence == "There is no medication order for this session."


def test_clearing_to_dose_refuses_a_checklist_with_checks_missing() -> None:
    partial = tuple(c for c in CLEARED if c.code != "pre_dose.baseline_vitals")
    for checks in (partial, ()):
        check = check_transition(
            S.PRE_DOSE_CHECKS, S.CLEARED_TO_DOSE, SessionFacts(pre_dose_checks=checks)
        )
        assert [r.code for r in check.refusals] == ["pre_dose.incomplete"]
        assert "pre_dose.baseline_vitals" in check.refusals[0].sentence


def test_discharge_needs_an_assessment() -> None:
    check = check_transition(S.MONITORING, S.DISCHARGED, replace(READY, discharge=None))
    assert [r.code for r in check.refusals] == ["discharge.not_assessed"]


def test_discharge_reports_every_unmet_criterion() -> None:
    criteria = tuple(
        Check(code, code not in {"discharge.walking", "discharge.escort"}, f"{code} sentence")
        for code in DISCHARGE_CODES
    )
    facts = replace(READY, discharge=DischargeReadiness(criteria))
    check = check_transition(S.MONITORING, S.DISCHARGED, facts)
    assert [r.code for r in check.refusals] == ["discharge.walking", "discharge.escort"]
    assert check.refusals[0].sentence == "discharge.walking sentence"


def test_discharge_refuses_an_assessment_with_criteria_missing() -> None:
    criteria = tuple(c for c in READY_TO_LEAVE.criteria if c.code != "discharge.escort")
    facts = replace(READY, discharge=DischargeReadiness(criteria))
    check = check_transition(S.MONITORING, S.DISCHARGED, facts)
    assert [r.code for r in check.refusals] == ["discharge.incomplete"]
    assert check.refusals[0].params == {"missing": "discharge.escort"}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.CHECKED_IN, S.PRE_DOSE_CHECKS),
        (S.CLEARED_TO_DOSE, S.DOSED),
        (S.DOSED, S.MONITORING),
    ],
)
def test_the_other_steps_need_no_facts(current: SessionState, target: SessionState) -> None:
    assert check_transition(current, target, SessionFacts()).allowed


def test_states_given_as_strings_are_understood() -> None:
    assert check_transition("checked_in", "pre_dose_checks", SessionFacts()).allowed  # type: ignore[arg-type]


def test_next_states_lists_only_moves_allowed_now() -> None:
    assert next_states(S.PRE_DOSE_CHECKS, SessionFacts()) == ()
    assert next_states(S.PRE_DOSE_CHECKS, READY) == (S.CLEARED_TO_DOSE, S.STOPPED)
    assert next_states(S.MONITORING, SessionFacts(stop_reason="Hypertension.")) == (S.STOPPED,)


@given(
    st.sampled_from(list(SessionState)),
    st.sampled_from(list(SessionState)),
    st.booleans(),
    st.booleans(),
    st.text(max_size=5),
)
def test_a_move_is_allowed_exactly_when_nothing_refuses_it(
    current: SessionState, target: SessionState, cleared: bool, ready: bool, reason: str
) -> None:
    facts = SessionFacts(
        pre_dose_checks=CLEARED if cleared else (),
        discharge=READY_TO_LEAVE if ready else None,
        stop_reason=reason,
    )
    check = check_transition(current, target, facts)
    assert check.allowed == (not check.refusals)
    assert (target in next_states(current, facts)) == check.allowed
