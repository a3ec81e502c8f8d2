"""What a dosing rule says: a refusal, or a check that is met or not, each with a stable code.

Sentences are plain English, as in eligibility.py and journey.py (this package cannot import
Django's gettext); the code and the params let a screen translate the sentence with its values.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ParamValue = str | int | None


def _frozen(params: Mapping[str, ParamValue]) -> Mapping[str, ParamValue]:
    return MappingProxyType(dict(params))


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why something may not happen now."""

    code: str
    sentence: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(self.params))


@dataclass(frozen=True, slots=True)
class Check:
    """One criterion of a checklist, met or not, with a sentence saying which and why."""

    code: str
    met: bool
    sentence: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(self.params))

    def as_refusal(self) -> Refusal:
        """The same reason, phrased as what stands in the way."""
        return Refusal(self.code, self.sentence, self.params)


def refusals_from(checks: Iterable[Check]) -> tuple[Refusal, ...]:
    """Every unmet check as a refusal, in checklist order."""
    return tuple(check.as_refusal() for check in checks if not check.met)


def fact_check(code: str, met: bool, met_sentence: str, unmet_sentence: str) -> Check:
    """A check on a yes/no fact, with the sentence for whichever way it went."""
    return Check(code, met, met_sentence if met else unmet_sentence)
