"""Response and remission on a questionnaire followed over time, as pure functions.

`None` means "cannot be said": no baseline, a baseline of 0 (nothing can fall by half), no
score after it, or an instrument without a remission cut-off. A chart shows it as "not
applicable"; a clinic rate leaves such patients out of its denominator.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kapclinic.clinical.instruments import INSTRUMENTS

# Response = at least 50% reduction from baseline (Frank et al. 1991 MacArthur consensus
# concepts; CLINICAL.md 3.1 "Response = >=50% reduction from baseline", PHQ-9, HDRS, MADRS).
RESPONSE_REDUCTION_PERCENT = 50

# Remission: the latest total is *below* this cut-off. A medical director may change them
# (settings.OUTCOMES_REMISSION_BELOW); each default with its source:
DEFAULT_REMISSION_BELOW: Mapping[str, int] = MappingProxyType(
    {
        # PHQ-9 < 5: the "minimal" band, Kroenke, Spitzer & Williams 2001 (NQF/MNCM measures).
        "PHQ-9": 5,
        # GAD-7 < 5: the "minimal" band, Spitzer, Kroenke, Williams & Löwe 2006.
        "GAD-7": 5,
        # PCL-5 < 33: below the provisional PTSD cut-point (Weathers et al. 2013, NCPTSD); a
        # provisional cut, no remission threshold is published (CLINICAL.md 3.1).
        "PCL-5": 33,
    }
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One patient on one instrument: where they started, where they are, and what it means."""

    instrument: str
    baseline: int | None
    latest: int | None
    change: int | None
    percent_change: float | None
    response: bool | None
    remission: bool | None


def is_response(baseline: int | None, latest: int | None) -> bool | None:
    """At least 50% lower than baseline; integers only, so exactly 50% is a response."""
    if baseline is None or latest is None or baseline <= 0:
        return None
    return (baseline - latest) * 100 >= RESPONSE_REDUCTION_PERCENT * baseline


def is_remission(
    instrument: str, latest: int | None, *, remission_below: Mapping[str, int]
) -> bool | None:
    """The latest total is below the instrument's cut-off (None without a cut-off or score)."""
    cutoff = remission_below.get(instrument)
    if cutoff is None or latest is None:
        return None
    return latest < cutoff


def percent_change(baseline: int | None, latest: int | None) -> float | None:
    """Change from baseline in percent (negative is better); None when baseline is 0 or missing."""
    if baseline is None or latest is None or baseline <= 0:
        return None
    return round((latest - baseline) * 100 / baseline, 1)


def outcome(
    instrument: str,
    baseline: int | None,
    latest: int | None,
    *,
    remission_below: Mapping[str, int] = DEFAULT_REMISSION_BELOW,
) -> Outcome:
    """Everything a chart or a letter says about one patient's course on one instrument."""
    return Outcome(
        instrument=instrument,
        baseline=baseline,
        latest=latest,
        change=None if baseline is None or latest is None else latest - baseline,
        percent_change=percent_change(baseline, latest),
        response=is_response(baseline, latest),
        remission=is_remission(instrument, latest, remission_below=remission_below),
    )


class InvalidRemissionConfig(ValueError):
    """A remission setting names an unknown instrument or a cut-off outside its range."""


def parse_remission_below(text: str) -> dict[str, int]:
    """`"PHQ-9=5,GAD-7=5"` over the defaults; refuses unknown codes and impossible cut-offs."""
    config = dict(DEFAULT_REMISSION_BELOW)
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, _, value = part.partition("=")
        code = code.strip()
        instrument = INSTRUMENTS.get(code)
        if instrument is None:
            raise InvalidRemissionConfig(f"Unknown instrument {code!r} in {part!r}.")
        try:
            cutoff = int(value)
        except ValueError:
            raise InvalidRemissionConfig(f"{code}: {value!r} is not a whole number.") from None
        if not instrument.min_total < cutoff <= instrument.max_total:
            raise InvalidRemissionConfig(
                f"{code}: the cut-off must be above {instrument.min_total} and at most "
                f"{instrument.max_total}; got {cutoff}."
            )
        config[code] = cutoff
    return config
