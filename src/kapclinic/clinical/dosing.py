"""The dosing session: from scheduled to discharged, or stopped with a reason at any point.

States and the moves between them are data (TRANSITIONS), as in journey.py; `check_transition`
says whether a move is allowed now and, when it is not, every reason why. Clearing to dose
needs every pre-dose check met (pre_dose.py), discharge needs every discharge criterion met
(discharge.py), and stopping needs a reason. Pure Python: the dosing app gathers the facts,
runs the checks and stores the moves.
"""

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical.discharge import DISCHARGE_CODES, DischargeReadiness
from kapclinic.clinical.journey import STAGE_NAMES, JourneyFacts, Stage, eligibility_refusals
from kapclinic.clinical.pre_dose import PRE_DOSE_CODES
from kapclinic.clinical.reasons import (
    Check,
    Phrase,
    Refusal,
    TransitionCheck,
    gettext_noop,
    phrase,
    refusals_from,
)

_ = gettext_noop


class SessionState(StrEnum):
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    PRE_DOSE_CHECKS = "pre_dose_checks"
    CLEARED_TO_DOSE = "cleared_to_dose"
    DOSED = "dosed"
    MONITORING = "monitoring"
    DISCHARGED = "discharged"
    STOPPED = "stopped"


# The session moves forward one step at a time; any state short of the end may stop.
_FORWARD = (
    (SessionState.SCHEDULED, SessionState.CHECKED_IN),
    (SessionState.CHECKED_IN, SessionState.PRE_DOSE_CHECKS),
    (SessionState.PRE_DOSE_CHECKS, SessionState.CLEARED_TO_DOSE),
    (SessionState.CLEARED_TO_DOSE, SessionState.DOSED),
    (SessionState.DOSED, SessionState.MONITORING),
    (SessionState.MONITORING, SessionState.DISCHARGED),
)
FINAL_STATES = frozenset({SessionState.DISCHARGED, SessionState.STOPPED})
TRANSITIONS = MappingProxyType(
    {
        state: frozenset(
            {target for source, target in _FORWARD if source is state}
            | ({SessionState.STOPPED} if state not in FINAL_STATES else set())
        )
        for state in SessionState
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionFacts:
    """What the record says at the moment of the move.

    `journey_stage` is the enrolment's stage (empty when there is no enrolment),
    `pre_dose_checks` the result of pre_dose.pre_dose_checks, `discharge` that of
    discharge.discharge_readiness; `stop_reason` is what the clinician wrote.
    """

    journey_stage: str = ""
    pre_dose_checks: tuple[Check, ...] = ()
    discharge: DischargeReadiness | None = None
    stop_reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "pre_dose_checks", tuple(self.pre_dose_checks))


def _checklist_refusals(
    checks: tuple[Check, ...], required: frozenset[str], code: str, what: Phrase
) -> tuple[Refusal, ...]:
    """Every unmet check, or one refusal naming the checks that were never run."""
    if missing := sorted(required - {check.code for check in checks}):
        return (
            Refusal(
                code,
                phrase(
                    _("Not every %(what)s was run; missing: %(missing)s."),
                    what=what,
                    missing=", ".join(missing),
                ),
                {"missing": ",".join(missing)},
            ),
        )
    return refusals_from(checks)


# A ketamine session belongs to the Experience stage; Integrate leads back to it for the
# plan's next session. Reaching Experience needed eligibility, consent and preparation.
DOSING_STAGES = frozenset({Stage.EXPERIENCE, Stage.INTEGRATE})


NOT_ENROLLED = Refusal("journey.not_enrolled", _("The patient is not enrolled in a program."))
PROGRAM_ENDED = Refusal(
    "journey.discharged",
    _("The patient's program has ended (discharged): enrol them again first."),
)


def booking_refusals(journey_stage: str, journey: JourneyFacts) -> tuple[Refusal, ...]:
    """What a ketamine session needs when it is booked: an enrolment still running and the
    latest determination signed eligible. Treatment consent and preparation are not asked
    here: they are done between booking and the session (consent may be signed on the day),
    and check-in (the journey at Experience) and the pre-dose checks still require them."""
    if not journey_stage:
        enrolled: tuple[Refusal, ...] = (NOT_ENROLLED,)
    elif journey_stage == Stage.DISCHARGED:
        enrolled = (PROGRAM_ENDED,)
    else:
        enrolled = ()
    return eligibility_refusals(journey) + enrolled


def _check_in_refusals(facts: SessionFacts) -> tuple[Refusal, ...]:
    if not facts.journey_stage:
        return (NOT_ENROLLED,)
    if facts.journey_stage in DOSING_STAGES:
        return ()
    stage = Stage(facts.journey_stage)
    said = phrase(
        _(
            "The journey is at %(stage)s: a ketamine session needs the journey moved to "
            "Experience (eligibility signed, treatment consent, preparation done)."
        ),
        stage=STAGE_NAMES[stage],
    )
    return (Refusal("journey.not_experience", said, {"stage": stage.value}),)


def _clearing_refusals(facts: SessionFacts) -> tuple[Refusal, ...]:
    return _checklist_refusals(
        facts.pre_dose_checks, PRE_DOSE_CODES, "pre_dose.incomplete", Phrase(_("pre-dose check"))
    )


def _discharge_refusals(facts: SessionFacts) -> tuple[Refusal, ...]:
    if facts.discharge is None:
        return (Refusal("discharge.not_assessed", _("Discharge readiness has not been assessed.")),)
    return _checklist_refusals(
        facts.discharge.criteria,
        DISCHARGE_CODES,
        "discharge.incomplete",
        Phrase(_("discharge check")),
    )


def _stop_refusals(facts: SessionFacts) -> tuple[Refusal, ...]:
    if facts.stop_reason.strip():
        return ()
    return (Refusal("stop.reason_missing", _("Say why the session is stopped.")),)


_REQUIREMENTS = MappingProxyType(
    {
        SessionState.CHECKED_IN: _check_in_refusals,
        SessionState.CLEARED_TO_DOSE: _clearing_refusals,
        SessionState.DISCHARGED: _discharge_refusals,
        SessionState.STOPPED: _stop_refusals,
    }
)

_STATE_NAMES = MappingProxyType(
    {
        SessionState.SCHEDULED: Phrase(_("scheduled")),
        SessionState.CHECKED_IN: Phrase(_("checked in")),
        SessionState.PRE_DOSE_CHECKS: Phrase(_("pre-dose checks")),
        SessionState.CLEARED_TO_DOSE: Phrase(_("cleared to dose")),
        SessionState.DOSED: Phrase(_("dosed")),
        SessionState.MONITORING: Phrase(_("monitoring")),
        SessionState.DISCHARGED: Phrase(_("discharged")),
        SessionState.STOPPED: Phrase(_("stopped")),
    }
)


def check_transition(
    current: SessionState, target: SessionState, facts: SessionFacts
) -> TransitionCheck:
    """Whether the session may move from `current` to `target` now; every reason if not."""
    current, target = SessionState(current), SessionState(target)
    if target not in TRANSITIONS[current]:
        refusal = Refusal(
            "transition.not_allowed",
            phrase(
                _("A dosing session cannot go from %(current)s to %(target)s."),
                current=_STATE_NAMES[current],
                target=_STATE_NAMES[target],
            ),
            {"from": current.value, "to": target.value},
        )
        return TransitionCheck((refusal,))
    requirement = _REQUIREMENTS.get(target)
    refusals = requirement(facts) if requirement else ()
    return TransitionCheck(refusals)


def next_states(current: SessionState, facts: SessionFacts) -> tuple[SessionState, ...]:
    """The states the session may move to now, in session order."""
    order = list(SessionState)
    allowed = [
        s for s in TRANSITIONS[SessionState(current)] if check_transition(current, s, facts).allowed
    ]
    return tuple(sorted(allowed, key=order.index))
