"""Adverse events around a dosing session: kind, graded severity, and what the director sees.

Severity follows two published scales:
- mild, moderate and severe are grades 1 to 3 of the NCI Common Terminology Criteria for Adverse
  Events (CTCAE) v5.0, 2017;
- serious follows Health Canada's "serious adverse drug reaction" (Food and Drug Regulations,
  C.R.C. c. 870, s. C.01.001(1)): one that requires in-patient hospitalization or prolongs it,
  causes congenital malformation, results in persistent or significant disability or incapacity,
  is life-threatening, or results in death (this covers CTCAE grades 4 and 5).
Severity (how intense) and seriousness (what it led to) are different questions: a severe headache
is not serious. An event is serious when graded so or when any serious outcome is recorded.
"""

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical.reasons import gettext_noop

_ = gettext_noop


class InvalidAdverseEvent(ValueError):
    """An event record that does not hold together."""


class EventKind(StrEnum):
    """The client's list; CLINICAL.md 3.3 lists the common ones (nausea, vomiting, dizziness)."""

    NAUSEA = "nausea"
    VOMITING = "vomiting"
    HEADACHE = "headache"
    DIZZINESS = "dizziness"
    RAISED_BLOOD_PRESSURE = "raised_blood_pressure"
    ANXIETY = "anxiety"
    UNEXPECTED_DISSOCIATION = "unexpected_dissociation"
    OTHER = "other"


class EventSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    SERIOUS = "serious"


class SeriousOutcome(StrEnum):
    """Food and Drug Regulations s. C.01.001(1), "serious adverse drug reaction"."""

    HOSPITALIZATION = "hospitalization"
    CONGENITAL_MALFORMATION = "congenital_malformation"
    DISABILITY = "disability"
    LIFE_THREATENING = "life_threatening"
    DEATH = "death"


# The one list of names (the dosing model's choices are built from it); marked for the
# French catalogue and translated where they are shown.
KIND_NAMES = MappingProxyType(
    {
        EventKind.NAUSEA: _("Nausea"),
        EventKind.VOMITING: _("Vomiting"),
        EventKind.HEADACHE: _("Headache"),
        EventKind.DIZZINESS: _("Dizziness"),
        EventKind.RAISED_BLOOD_PRESSURE: _("Raised blood pressure"),
        EventKind.ANXIETY: _("Anxiety"),
        EventKind.UNEXPECTED_DISSOCIATION: _("Dissociation beyond what was expected"),
        EventKind.OTHER: _("Other"),
    }
)
# The serious outcomes' names, marked for the French catalogue and translated where shown.
SERIOUS_OUTCOME_NAMES = MappingProxyType(
    {
        SeriousOutcome.HOSPITALIZATION: _("Hospitalization"),
        SeriousOutcome.CONGENITAL_MALFORMATION: _("Congenital malformation"),
        SeriousOutcome.DISABILITY: _("Disability or lasting incapacity"),
        SeriousOutcome.LIFE_THREATENING: _("Life-threatening"),
        SeriousOutcome.DEATH: _("Death"),
    }
)
# What each grade means: the help text of the adverse-event form's severity.
SEVERITY_DEFINITIONS = MappingProxyType(
    {
        # CTCAE v5.0 grade 1.
        EventSeverity.MILD: _("Mild: no or mild symptoms, observation only, no treatment needed."),
        # CTCAE v5.0 grade 2.
        EventSeverity.MODERATE: _(
            "Moderate: minimal, local or non-invasive treatment needed; limits everyday activities."
        ),
        # CTCAE v5.0 grade 3.
        EventSeverity.SEVERE: _(
            "Severe: medically significant but not immediately life-threatening; limits self-care."
        ),
        # Food and Drug Regulations s. C.01.001(1), serious adverse drug reaction.
        EventSeverity.SERIOUS: _(
            "Serious or life-threatening: needs hospitalization or prolongs "
            "it, causes a congenital malformation, lasting disability or incapacity, threatens "
            "life, or results in death."
        ),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdverseEvent:
    """One event as the team records it; an event of kind other says what it was."""

    kind: str
    severity: str
    occurred_at: datetime
    description: str = ""
    serious_outcomes: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", EventKind(self.kind))
            object.__setattr__(self, "severity", EventSeverity(self.severity))
            outcomes = frozenset(SeriousOutcome(o) for o in self.serious_outcomes)
        except ValueError as error:
            raise InvalidAdverseEvent(str(error)) from None
        object.__setattr__(self, "serious_outcomes", outcomes)
        if self.occurred_at.utcoffset() is None:
            raise InvalidAdverseEvent(
                gettext_noop("The time of an adverse event must be timezone-aware.")
            )
        if self.kind is EventKind.OTHER and not self.description.strip():
            raise InvalidAdverseEvent(gettext_noop("Describe an adverse event of kind other."))


def is_serious(event: AdverseEvent) -> bool:
    """Graded serious, or any outcome that makes it serious under C.01.001(1)."""
    return event.severity is EventSeverity.SERIOUS or bool(event.serious_outcomes)


def needs_medical_director(event: AdverseEvent) -> bool:
    """Serious events go to the medical director for review."""
    return is_serious(event)
