"""What a clinical rule says: a refusal, or a check that is met or not, each with a stable code
and a sentence a person reads.

This package cannot import Django's gettext, so a sentence is kept as its English template and
the values that go in it (a `Phrase`), with the template marked by `gettext_noop` so that
`make messages` puts it in the French catalogue. `str()` gives the English; the Django side
(kapclinic.said) gives the sentence in the reader's language. A value that is itself words
("intranasal spray", "Quebec") is a Phrase too, and is translated in turn. The code and the
params stay for machines: tests, audit rows, stored snapshots.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Union

ParamValue = str | int | None


def gettext_noop(message: str) -> str:
    """Mark an English template for the French catalogue; it is translated where it is shown."""
    return message


PhraseValue = Union[str, int, None, "Phrase"]


@dataclass(frozen=True, slots=True)
class Phrase:
    """An English %-template (marked with gettext_noop) and the values that fill it."""

    template: str
    values: Mapping[str, PhraseValue] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def __str__(self) -> str:
        if not self.values:
            return self.template
        return self.template % {key: _plain(value) for key, value in self.values.items()}


def _plain(value: PhraseValue) -> str | int | None:
    return str(value) if isinstance(value, Phrase) else value


def phrase(template: str, **values: PhraseValue) -> Phrase:
    return Phrase(template, values)


Said = str | Phrase | tuple[Phrase, ...]


def phrases_of(said: Said) -> tuple[Phrase, ...]:
    """A plain string, one phrase or several, as phrases."""
    if isinstance(said, str):
        return (Phrase(said),)
    if isinstance(said, Phrase):
        return (said,)
    return tuple(said)


def english(phrases: Iterable[Phrase]) -> str:
    return " ".join(str(p) for p in phrases)


def _frozen(params: Mapping[str, ParamValue]) -> Mapping[str, ParamValue]:
    return MappingProxyType(dict(params))


@dataclass(frozen=True, slots=True, init=False)
class Refusal:
    """Why something may not happen now."""

    code: str
    phrases: tuple[Phrase, ...]
    params: Mapping[str, ParamValue] = field(hash=False)

    def __init__(self, code: str, said: Said, params: Mapping[str, ParamValue] | None = None):
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "phrases", phrases_of(said))
        object.__setattr__(self, "params", _frozen(params or {}))

    @property
    def sentence(self) -> str:
        """The English sentence (kapclinic.said gives it in the reader's language)."""
        return english(self.phrases)


@dataclass(frozen=True, slots=True, init=False)
class Check:
    """One criterion of a checklist, met or not, with a sentence saying which and why."""

    code: str
    met: bool
    phrases: tuple[Phrase, ...]
    params: Mapping[str, ParamValue] = field(hash=False)

    def __init__(
        self, code: str, met: bool, said: Said, params: Mapping[str, ParamValue] | None = None
    ):
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "met", met)
        object.__setattr__(self, "phrases", phrases_of(said))
        object.__setattr__(self, "params", _frozen(params or {}))

    @property
    def sentence(self) -> str:
        return english(self.phrases)

    def as_refusal(self) -> Refusal:
        """The same reason, phrased as what stands in the way."""
        return Refusal(self.code, self.phrases, self.params)


@dataclass(frozen=True, slots=True)
class TransitionCheck:
    """Whether a move (of the journey, of a session) is allowed now: when nothing refuses it."""

    refusals: tuple[Refusal, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.refusals


def refusals_from(checks: Iterable[Check]) -> tuple[Refusal, ...]:
    """Every unmet check as a refusal, in checklist order."""
    return tuple(check.as_refusal() for check in checks if not check.met)


def fact_check(code: str, met: bool, met_sentence: Said, unmet_sentence: Said) -> Check:
    """A check on a yes/no fact, with the sentence for whichever way it went."""
    return Check(code, met, met_sentence if met else unmet_sentence)
