"""Every journey transition and every refusal, with its reason."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.journey import (
    TRANSITIONS,
    JourneyFacts,
    Stage,
    check_transition,
    next_stages,
)

READY = JourneyFacts(eligibility_signed=True, treatment_consent=True, preparation_done=True)
# sorted: the targets are a frozenset, and xdist workers must collect the same order
ALLOWED = [(c, t) for c, targets in TRANSITIONS.items() for t in sorted(targets)]
FORBIDDEN = [(c, t) for c in Stage for t in Stage if t not in TRANSITIONS[c]]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_passes_when_its_requirements_are_met(
    current: Stage, target: Stage
) -> None:
    assert check_transition(current, target, READY).allowed


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_other_transition_is_refused_with_the_reason(current: Stage, target: Stage) -> None:
    check = check_transition(current, target, READY)
    assert not check.allowed
    assert [r.code for r in check.refusals] == ["transition.not_allowed"]
    assert f"from {current.value.capitalize()} to {target.value.capitalize()}." in (
        check.refusals[0].sentence
    )


def test_preparing_needs_a_signed_eligibility_determination() -> None:
    check = check_transition(Stage.CONNECT, Stage.PREPARE, JourneyFacts())
    assert [r.code for r in check.refusals] == ["eligibility.unsigned"]


@pytest.mark.parametrize(
    ("facts", "codes"),
    [
        (
            JourneyFacts(),
            ["eligibility.unsigned", "consent.treatment_missing", "preparation.incomplete"],
        ),
        (
            JourneyFacts(eligibility_signed=True, preparation_done=True),
            ["consent.treatment_missing"],
        ),
        (JourneyFacts(eligibility_signed=True, treatment_consent=True), ["preparation.incomplete"]),
    ],
)
def test_the_first_dosing_session_needs_consent_and_preparation(
    facts: JourneyFacts, codes: list[str]
) -> None:
    check = check_transition(Stage.PREPARE, Stage.EXPERIENCE, facts)
    assert [r.code for r in check.refusals] == codes


def test_discharge_is_always_possible_until_discharged() -> None:
    for stage in Stage:
        expected = stage is not Stage.DISCHARGED
        assert check_transition(stage, Stage.DISCHARGED, JourneyFacts()).allowed is expected


def test_next_stages_lists_only_moves_allowed_now() -> None:
    assert next_stages(Stage.CONNECT, JourneyFacts()) == (Stage.DISCHARGED,)
    assert next_stages(Stage.CONNECT, READY) == (Stage.PREPARE, Stage.DISCHARGED)
    assert next_stages(Stage.INTEGRATE, READY) == (
        Stage.EXPERIENCE,
        Stage.RECONNECT,
        Stage.DISCHARGED,
    )


@given(
    st.sampled_from(list(Stage)),
    st.sampled_from(list(Stage)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_a_move_is_allowed_exactly_when_nothing_refuses_it(
    current: Stage, target: Stage, signed: bool, consent: bool, prepared: bool
) -> None:
    check = check_transition(current, target, JourneyFacts(signed, consent, prepared))
    assert check.allowed == (not check.refusals)
    assert (
        target in next_stages(current, JourneyFacts(signed, consent, prepared))
    ) == check.allowed
