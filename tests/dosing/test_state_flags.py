"""The session screen asks the session what to show (`session.is_after_dose`), never compares
state names in the template: each state gives exactly the sections it had."""

import pytest

from kapclinic.clinical.dosing import SessionState
from kapclinic.dosing.models import DosingSession

FLAGS = (
    "has_started",
    "awaits_clearance",
    "is_pre_dose_checks",
    "is_cleared_to_dose",
    "is_after_dose",
    "is_monitoring",
    "is_over",
)
SHOWN = {
    SessionState.SCHEDULED: set(),
    SessionState.CHECKED_IN: {"has_started", "awaits_clearance"},
    SessionState.PRE_DOSE_CHECKS: {"has_started", "awaits_clearance", "is_pre_dose_checks"},
    SessionState.CLEARED_TO_DOSE: {"has_started", "is_cleared_to_dose"},
    SessionState.DOSED: {"has_started", "is_after_dose"},
    SessionState.MONITORING: {"has_started", "is_after_dose", "is_monitoring"},
    SessionState.DISCHARGED: {"has_started", "is_over"},
    SessionState.STOPPED: {"has_started", "is_over"},
}


@pytest.mark.parametrize("state", list(SessionState))
def test_each_state_raises_the_flags_of_its_sections(state: SessionState) -> None:
    session = DosingSession(state=state)
    assert {flag for flag in FLAGS if getattr(session, flag)} == SHOWN[state]
