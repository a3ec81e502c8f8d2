"""How a measurement's moment is said ("Before ketamine session 2", "Follow-up at 3 months"),
as phrases so each reader reads it in their language (said.py)."""

from kapclinic.clinical.reasons import Phrase, gettext_noop
from kapclinic.outcomes.models import MeasurementKind

_MOMENTS = {
    MeasurementKind.BASELINE: gettext_noop("Baseline"),
    MeasurementKind.BEFORE_SESSION: gettext_noop("Before ketamine session %(n)d"),
    MeasurementKind.END_OF_PROGRAM: gettext_noop("End of program"),
    MeasurementKind.FOLLOW_UP: gettext_noop("Follow-up at %(n)d months"),
}


def moment_phrase(kind: str, sequence: int) -> Phrase:
    template = _MOMENTS[MeasurementKind(kind)]
    return Phrase(template, {"n": sequence} if "%(n)d" in template else {})
