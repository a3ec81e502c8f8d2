"""The patient journey: Connect, Prepare, Experience, Integrate, Reconnect.

Stages and the moves between them are data (TRANSITIONS); what a move requires is data
too (REQUIREMENTS). `check_transition` says whether a move is allowed and, when it is
not, every reason why, each with a stable code and a sentence, so the screen can explain
the refusal. Pure Python: the care app gathers the facts and stores the transitions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical.reasons import Phrase, Refusal, TransitionCheck, gettext_noop, phrase

_ = gettext_noop


class Stage(StrEnum):
    CONNECT = "connect"  # intake and eligibility
    PREPARE = "prepare"  # preparation sessions, materials and training
    EXPERIENCE = "experience"  # dosing sessions
    INTEGRATE = "integrate"  # integration sessions
    RECONNECT = "reconnect"  # integration groups, further treatment
    DISCHARGED = "discharged"


STAGE_NAMES = MappingProxyType(
    {
        Stage.CONNECT: Phrase(_("Connect")),
        Stage.PREPARE: Phrase(_("Prepare")),
        Stage.EXPERIENCE: Phrase(_("Experience")),
        Stage.INTEGRATE: Phrase(_("Integrate")),
        Stage.RECONNECT: Phrase(_("Reconnect")),
        Stage.DISCHARGED: Phrase(_("Discharged")),
    }
)


@dataclass(frozen=True)
class JourneyFacts:
    """What the record says at the moment of the move."""

    eligibility_signed: bool = False
    treatment_consent: bool = False
    preparation_done: bool = False
    # The decision of the latest signed determination ("" when none is signed): a later
    # screening replaces an earlier one, so an old "eligible" cannot outlive a new refusal.
    latest_decision: str = ""


# Integrate may lead back to Experience (the next ketamine session of the plan), and
# Reconnect back to Prepare (further treatment); any stage may end in discharge.
TRANSITIONS = MappingProxyType(
    {
        Stage.CONNECT: frozenset({Stage.PREPARE, Stage.DISCHARGED}),
        Stage.PREPARE: frozenset({Stage.EXPERIENCE, Stage.DISCHARGED}),
        Stage.EXPERIENCE: frozenset({Stage.INTEGRATE, Stage.DISCHARGED}),
        Stage.INTEGRATE: frozenset({Stage.EXPERIENCE, Stage.RECONNECT, Stage.DISCHARGED}),
        Stage.RECONNECT: frozenset({Stage.PREPARE, Stage.DISCHARGED}),
        Stage.DISCHARGED: frozenset(),
    }
)

Requirement = tuple[Callable[[JourneyFacts], bool], Refusal]

_SIGNED = (
    lambda f: f.eligibility_signed or f.latest_decision != "",
    Refusal("eligibility.unsigned", _("A physician has not signed the eligibility determination.")),
)
_NOT_ON_HOLD = (
    lambda f: f.eligibility_signed or f.latest_decision != "eligible_once_managed",
    Refusal(
        "eligibility.once_managed",
        _(
            "The latest determination is eligible once a condition is managed: "
            "re-screen the patient when it is managed."
        ),
    ),
)
_NOT_REFUSED = (
    lambda f: f.eligibility_signed or f.latest_decision != "not_eligible",
    Refusal("eligibility.not_eligible", _("The latest determination is not eligible.")),
)
_ELIGIBLE: tuple[Requirement, ...] = (_SIGNED, _NOT_ON_HOLD, _NOT_REFUSED)
_CONSENT = (
    lambda f: f.treatment_consent,
    Refusal("consent.treatment_missing", _("There is no valid treatment consent.")),
)
_PREPARED = (
    lambda f: f.preparation_done,
    Refusal(
        "preparation.incomplete", _("Preparation is not done before the first dosing session.")
    ),
)

# What each target stage needs, whatever stage the move starts from.
REQUIREMENTS: MappingProxyType[Stage, tuple[Requirement, ...]] = MappingProxyType(
    {
        Stage.PREPARE: _ELIGIBLE,
        Stage.EXPERIENCE: (*_ELIGIBLE, _CONSENT, _PREPARED),
    }
)


def eligibility_refusals(facts: JourneyFacts) -> tuple[Refusal, ...]:
    """What stands between the patient and a signed eligible determination (empty: nothing)."""
    return tuple(refusal for met, refusal in _ELIGIBLE if not met(facts))


def check_transition(current: Stage, target: Stage, facts: JourneyFacts) -> TransitionCheck:
    """Whether `current` may move to `target` now; every unmet requirement is reported."""
    current, target = Stage(current), Stage(target)
    if target not in TRANSITIONS[current]:
        refusal = Refusal(
            "transition.not_allowed",
            phrase(
                _("The journey cannot go from %(current)s to %(target)s."),
                current=STAGE_NAMES[current],
                target=STAGE_NAMES[target],
            ),
        )
        return TransitionCheck((refusal,))
    refusals = tuple(refusal for met, refusal in REQUIREMENTS.get(target, ()) if not met(facts))
    return TransitionCheck(refusals)


def next_stages(current: Stage, facts: JourneyFacts) -> tuple[Stage, ...]:
    """The stages the journey may move to now, in journey order."""
    order = list(Stage)
    allowed = [
        s for s in TRANSITIONS[Stage(current)] if check_transition(current, s, facts).allowed
    ]
    return tuple(sorted(allowed, key=order.index))
