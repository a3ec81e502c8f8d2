"""Adverse events: kinds, grading, and which ones go to the medical director."""

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.adverse_events import (
    KIND_NAMES,
    SEVERITY_DEFINITIONS,
    AdverseEvent,
    EventKind,
    EventSeverity,
    InvalidAdverseEvent,
    SeriousOutcome,
    is_serious,
    needs_medical_director,
)
from tests.clinical.dosing_examples import DOSED_AT


def event(**changes: Any) -> AdverseEvent:
    values = {"kind": EventKind.NAUSEA, "severity": EventSeverity.MILD, "occurred_at": DOSED_AT}
    return AdverseEvent(**(values | changes))


@pytest.mark.parametrize(
    ("severity", "needs_director"),
    [
        (EventSeverity.MILD, False),
        (EventSeverity.MODERATE, False),
        (EventSeverity.SEVERE, False),
        (EventSeverity.SERIOUS, True),
    ],
)
def test_only_serious_events_go_to_the_medical_director(
    severity: EventSeverity, needs_director: bool
) -> None:
    assert needs_medical_director(event(severity=severity)) is needs_director


@pytest.mark.parametrize("outcome", list(SeriousOutcome))
def test_any_serious_outcome_makes_the_event_serious_whatever_its_grade(
    outcome: SeriousOutcome,
) -> None:
    recorded = event(severity=EventSeverity.MODERATE, serious_outcomes={outcome})
    assert is_serious(recorded)
    assert needs_medical_director(recorded)


def test_the_clients_kinds_are_all_there() -> None:
    assert {kind.value for kind in EventKind} == {
        "nausea",
        "vomiting",
        "headache",
        "dizziness",
        "raised_blood_pressure",
        "anxiety",
        "unexpected_dissociation",
        "other",
    }
    assert set(KIND_NAMES) == set(EventKind)
    assert set(SEVERITY_DEFINITIONS) == set(EventSeverity)


def test_an_event_of_kind_other_must_say_what_it_was() -> None:
    with pytest.raises(InvalidAdverseEvent, match="Describe"):
        event(kind=EventKind.OTHER, description="  ")
    described = event(kind="other", description="Blurred vision for 20 minutes.")
    assert described.kind is EventKind.OTHER


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "seizure"},
        {"severity": "grade 3"},
        {"serious_outcomes": {"hospitalisation"}},
        {"occurred_at": datetime(2026, 5, 12, 10, 0)},
    ],
)
def test_a_record_that_does_not_hold_together_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidAdverseEvent):
        event(**changes)


@given(
    st.sampled_from(list(EventKind)),
    st.sampled_from(list(EventSeverity)),
    st.frozensets(st.sampled_from(list(SeriousOutcome))),
)
def test_the_director_sees_an_event_exactly_when_it_is_graded_or_turned_serious(
    kind: EventKind, severity: EventSeverity, outcomes: frozenset[SeriousOutcome]
) -> None:
    recorded = event(kind=kind, severity=severity, serious_outcomes=outcomes, description="x")
    expected = severity is EventSeverity.SERIOUS or bool(outcomes)
    assert needs_medical_director(recorded) is expected
