"""Standardised questionnaires (PHQ-9, GAD-7, PCL-5, AUDIT, DUDIT) scored exactly as published.

`score(code, answers)` turns one answer per item (the item's score value, in item order) into a
total, a severity band and safety flags. Anything the published form does not allow is refused
with an error naming the instrument, the item and the allowed values: a wrong score in a chart
is worse than no score. Item wording lives in `instrument_texts`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical import instrument_texts as texts


class UnknownInstrument(ValueError):
    """The code names no instrument this module knows."""


class InvalidAnswers(ValueError):
    """The answers cannot be scored: wrong count, or an answer its item does not allow."""

    def __init__(
        self, message: str, *, code: str, item: int | None = None, allowed: tuple[int, ...] = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.item = item
        self.allowed = allowed


class Sex(StrEnum):
    """Sex as the DUDIT manual's cut-offs use it; anything else is passed as None."""

    FEMALE = "female"
    MALE = "male"


EN = "en"
FR = "fr"
SUICIDAL_IDEATION = "suicidal_ideation"
PROVISIONAL_PTSD_DSM5 = "provisional_ptsd_dsm5"


@dataclass(frozen=True, slots=True)
class Option:
    """One printed answer choice and the score it carries."""

    value: int
    label_en: str
    label_fr: str | None


@dataclass(frozen=True, slots=True)
class Item:
    """One question, numbered as on the published form."""

    number: int
    text_en: str
    text_fr: str | None
    options: tuple[Option, ...]

    @property
    def allowed_values(self) -> tuple[int, ...]:
        """The score values an answer to this item may take."""
        return tuple(option.value for option in self.options)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A questionnaire as published: its items, options, bands and where they come from."""

    code: str
    name: str
    source: str
    languages: tuple[str, ...]
    prompt_en: str | None
    prompt_fr: str | None
    items: tuple[Item, ...]
    band_codes: tuple[str, ...]

    def __post_init__(self) -> None:
        if (FR in self.languages) != self.has_complete_french:
            raise ValueError(f"{self.code}: languages {self.languages} disagree with its texts.")

    @property
    def has_complete_french(self) -> bool:
        """True when every prompt, item and option has its official French text."""
        french = [item.text_fr for item in self.items]
        french += [option.label_fr for item in self.items for option in item.options]
        if self.prompt_en is not None:
            french.append(self.prompt_fr)
        return all(text is not None for text in french)

    @property
    def min_total(self) -> int:
        """The lowest total the published scoring can give."""
        return sum(min(item.allowed_values) for item in self.items)

    @property
    def max_total(self) -> int:
        """The highest total the published scoring can give."""
        return sum(max(item.allowed_values) for item in self.items)


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored questionnaire: total, severity band and safety flags (string codes)."""

    code: str
    total: int
    band: str
    flags: frozenset[str]


Bands = tuple[tuple[int, str], ...]  # (lowest total of the band, band code), in rising order

# Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606, PHQ-9: 9 items.
PHQ9_ITEM_COUNT = 9
# Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606: each item scored 0-3.
PHQ9_VALUES = (0, 1, 2, 3)
# Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606, PHQ-9 severity bands.
PHQ9_BANDS: Bands = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "moderately_severe"),
    (20, "severe"),
)
# Kroenke et al. 2001 and Pfizer PHQ Instruction Manual: item 9 above 0 needs suicide-risk review.
PHQ9_SUICIDE_ITEM = 9

# Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092, GAD-7: 7 items.
GAD7_ITEM_COUNT = 7
# Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092: each item scored 0-3.
GAD7_VALUES = (0, 1, 2, 3)
# Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092: cut-points 5, 10 and 15.
GAD7_BANDS: Bands = ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))

# Weathers, Litz, Keane, Palmieri, Marx & Schnurr 2013, PCL-5 (NCPTSD): 20 DSM-5 items.
PCL5_ITEM_COUNT = 20
# Weathers et al. 2013, PCL-5 (NCPTSD): each item scored 0-4.
PCL5_VALUES = (0, 1, 2, 3, 4)
# Weathers et al. 2013 (NCPTSD PCL-5 scoring) cut-point 33; Bovin et al. 2016 found 31-33.
PCL5_CUTOFF = 33
# Weathers et al. 2013 (NCPTSD): below the cut-point, or probable PTSD at or above it.
PCL5_BANDS: Bands = ((0, "below_threshold"), (PCL5_CUTOFF, "probable_ptsd"))
# Weathers et al. 2013 (NCPTSD): an item rated 2 "Moderately" or higher is a symptom endorsed.
PCL5_SYMPTOM_THRESHOLD = 2
# Weathers et al. 2013 (NCPTSD), DSM-5 rule: >=1 B (1-5), >=1 C (6-7), >=2 D (8-14), >=2 E (15-20).
PCL5_CLUSTERS = ((range(1, 6), 1), (range(6, 8), 1), (range(8, 15), 2), (range(15, 21), 2))

# Babor, Higgins-Biddle, Saunders & Monteiro 2001, WHO AUDIT manual 2nd ed., Box 4: 10 items.
AUDIT_ITEM_COUNT = 10
# Babor et al. 2001, WHO AUDIT manual, Box 4: items 1-8 scored 0-4.
AUDIT_VALUES = (0, 1, 2, 3, 4)
# Babor et al. 2001, WHO AUDIT manual, Box 4: items 9 and 10 scored 0, 2 or 4 only.
AUDIT_HARM_VALUES = (0, 2, 4)
# Babor et al. 2001, WHO AUDIT manual, Table 3: risk zones I-IV are 0-7, 8-15, 16-19, 20-40.
AUDIT_BANDS: Bands = ((0, "zone_1"), (8, "zone_2"), (16, "zone_3"), (20, "zone_4"))

# Berman, Bergman, Palmstierna & Schlyter 2005, Eur Addict Res 11:22, DUDIT: 11 items.
DUDIT_ITEM_COUNT = 11
# Berman et al. 2003, DUDIT Manual v1.0, Table 2: items 1-9 scored 0-4.
DUDIT_VALUES = (0, 1, 2, 3, 4)
# Berman et al. 2003, DUDIT Manual v1.0, Table 2: items 10 and 11 scored 0, 2 or 4 only.
DUDIT_HARM_VALUES = (0, 2, 4)
# Berman et al. 2003, DUDIT Manual v1.0: drug-related problems from 6 points (men), 2 (women).
DUDIT_PROBLEM_CUTOFFS = MappingProxyType({Sex.MALE: 6, Sex.FEMALE: 2})
# Sex not given: the manual's lower (women's) cut-off, so a missing field never hides a problem.
DUDIT_PROBLEM_CUTOFF_SEX_UNKNOWN = DUDIT_PROBLEM_CUTOFFS[Sex.FEMALE]
# Berman et al. 2003 manual; 2005, Eur Addict Res 11:22: probable dependence from 25, either sex.
DUDIT_DEPENDENCE_CUTOFF = 25
# Berman et al. 2003, DUDIT Manual v1.0, Evaluation: no problems, drug-related problems, dependence.
DUDIT_BAND_CODES = ("no_problem", "drug_related_problems", "probable_dependence")


def _options(
    values: tuple[int, ...], labels_en: tuple[str, ...], labels_fr: tuple[str, ...] | None = None
) -> tuple[Option, ...]:
    french = labels_fr if labels_fr is not None else (None,) * len(values)
    return tuple(
        Option(value, en, fr) for value, en, fr in zip(values, labels_en, french, strict=True)
    )


def _items(
    texts_en: tuple[str, ...],
    texts_fr: tuple[str, ...] | None,
    options: tuple[tuple[Option, ...], ...],
) -> tuple[Item, ...]:
    french = texts_fr if texts_fr is not None else (None,) * len(texts_en)
    rows = zip(texts_en, french, options, strict=True)
    return tuple(Item(number, en, fr, opts) for number, (en, fr, opts) in enumerate(rows, start=1))


def _codes(bands: Bands) -> tuple[str, ...]:
    return tuple(code for _, code in bands)


_PHQ9_OPTIONS = _options(PHQ9_VALUES, texts.PHQ9_OPTIONS_EN, texts.PHQ9_OPTIONS_FR)
_GAD7_OPTIONS = _options(GAD7_VALUES, texts.GAD7_OPTIONS_EN, texts.GAD7_OPTIONS_FR)
_PCL5_OPTIONS = _options(PCL5_VALUES, texts.PCL5_OPTIONS_EN, texts.PCL5_OPTIONS_FR)
_AUDIT_OPTIONS = (  # Babor et al. 2001, Box 4: options of item 1, item 2, items 3-8, items 9-10
    (_options(AUDIT_VALUES, texts.AUDIT_FREQUENCY_EN),)
    + (_options(AUDIT_VALUES, texts.AUDIT_QUANTITY_EN),)
    + (_options(AUDIT_VALUES, texts.AUDIT_OCCASIONS_EN),) * 6
    + (_options(AUDIT_HARM_VALUES, texts.AUDIT_HARM_EN),) * 2
)
_DUDIT_OPTIONS = (  # Berman et al. 2003, Appendix 1: items 1-2, item 3, items 4-9, items 10-11
    (_options(DUDIT_VALUES, texts.DUDIT_FREQUENCY_EN),) * 2
    + (_options(DUDIT_VALUES, texts.DUDIT_TIMES_EN),)
    + (_options(DUDIT_VALUES, texts.DUDIT_INTENSITY_EN),) * 6
    + (_options(DUDIT_HARM_VALUES, texts.DUDIT_HARM_EN),) * 2
)

_ALL = (
    Instrument(
        code="PHQ-9",
        name="Patient Health Questionnaire-9",
        source="Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606-613. English: Pfizer "
        "PHQ Screeners form. French: Pfizer Canadian-French PHQ-9 as reproduced by the INSPQ.",
        languages=(EN, FR),
        prompt_en=texts.PHQ9_PROMPT_EN,
        prompt_fr=texts.PHQ9_PROMPT_FR,
        items=_items(texts.PHQ9_ITEMS_EN, texts.PHQ9_ITEMS_FR, (_PHQ9_OPTIONS,) * PHQ9_ITEM_COUNT),
        band_codes=_codes(PHQ9_BANDS),
    ),
    Instrument(
        code="GAD-7",
        name="Generalized Anxiety Disorder-7",
        source="Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092-1097. English: "
        "Pfizer PHQ Screeners form. French: Pfizer Canadian-French GAD-7 as reproduced in Quebec.",
        languages=(EN, FR),
        prompt_en=texts.GAD7_PROMPT_EN,
        prompt_fr=texts.GAD7_PROMPT_FR,
        items=_items(texts.GAD7_ITEMS_EN, texts.GAD7_ITEMS_FR, (_GAD7_OPTIONS,) * GAD7_ITEM_COUNT),
        band_codes=_codes(GAD7_BANDS),
    ),
    Instrument(
        code="PCL-5",
        name="PTSD Checklist for DSM-5",
        source="Weathers, Litz, Keane, Palmieri, Marx & Schnurr 2013, National Center for PTSD. "
        "French: Ashbaugh, Houle-Johnson, Herbert, El-Hage & Brunet 2016, PLoS ONE 11:e0161645.",
        languages=(EN, FR),
        prompt_en=texts.PCL5_PROMPT_EN,
        prompt_fr=texts.PCL5_PROMPT_FR,
        items=_items(texts.PCL5_ITEMS_EN, texts.PCL5_ITEMS_FR, (_PCL5_OPTIONS,) * PCL5_ITEM_COUNT),
        band_codes=_codes(PCL5_BANDS),
    ),
    Instrument(
        code="AUDIT",
        name="Alcohol Use Disorders Identification Test",
        source="Babor, Higgins-Biddle, Saunders & Monteiro 2001, AUDIT: Guidelines for Use in "
        "Primary Care, 2nd ed., WHO/MSD/MSB/01.6a. English only (no WHO French text confirmed).",
        languages=(EN,),
        prompt_en=None,
        prompt_fr=None,
        items=_items(texts.AUDIT_ITEMS_EN, None, _AUDIT_OPTIONS),
        band_codes=_codes(AUDIT_BANDS),
    ),
    Instrument(
        code="DUDIT",
        name="Drug Use Disorders Identification Test",
        source="Berman, Bergman, Palmstierna & Schlyter 2005, Eur Addict Res 11:22-31; DUDIT "
        "Manual v1.0, Karolinska Institutet 2003. English only (no authors' French version).",
        languages=(EN,),
        prompt_en=texts.DUDIT_PROMPT_EN,
        prompt_fr=None,
        items=_items(texts.DUDIT_ITEMS_EN, None, _DUDIT_OPTIONS),
        band_codes=DUDIT_BAND_CODES,
    ),
)
INSTRUMENTS = MappingProxyType({instrument.code: instrument for instrument in _ALL})


def get_instrument(code: str) -> Instrument:
    """The instrument of that code, or UnknownInstrument listing the codes that exist."""
    try:
        return INSTRUMENTS[code]
    except (KeyError, TypeError):
        known = ", ".join(INSTRUMENTS)
        raise UnknownInstrument(f"Unknown instrument {code!r}; known: {known}.") from None


def score(code: str, answers: Sequence[int], *, sex: Sex | str | None = None) -> ScoreResult:
    """Score one completed questionnaire; `sex` only changes the DUDIT's lower cut-off.

    Raises UnknownInstrument for an unknown code and InvalidAnswers (naming the item and its
    allowed values) for any answer the published form does not allow: never a partial score.
    """
    instrument = get_instrument(code)
    values = _validated(instrument, answers)
    total = sum(values)
    band_of, flags_of = _RULES[instrument.code]
    return ScoreResult(
        code=instrument.code,
        total=total,
        band=band_of(total, _sex(sex)),
        flags=flags_of(values),
    )


def _validated(instrument: Instrument, answers: Sequence[int]) -> tuple[int, ...]:
    code, count = instrument.code, len(instrument.items)
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidAnswers(
            f"{code} answers must be a list of {count} integers in item order; "
            f"got {type(answers).__name__}.",
            code=code,
        )
    if len(answers) != count:
        raise InvalidAnswers(
            f"{code} expects {count} answers, one per item (items 1 to {count}); "
            f"got {len(answers)}.",
            code=code,
        )
    for item, answer in zip(instrument.items, answers, strict=True):
        _check_answer(code, item, answer)
    return tuple(answers)


def _check_answer(code: str, item: Item, answer: object) -> None:
    allowed = item.allowed_values
    if isinstance(answer, bool) or not isinstance(answer, int):
        problem = f"{answer!r} is not an integer"
    elif answer not in allowed:
        problem = f"{answer} is not an allowed answer"
    else:
        return
    raise InvalidAnswers(
        f"{code} item {item.number}: {problem}; allowed values are {', '.join(map(str, allowed))}.",
        code=code,
        item=item.number,
        allowed=allowed,
    )


def _sex(sex: Sex | str | None) -> Sex | None:
    if sex is None:
        return None
    try:
        return Sex(sex)
    except ValueError:
        known = ", ".join(repr(member.value) for member in Sex)
        raise ValueError(f"sex must be {known} or None; got {sex!r}.") from None


def _band(total: int, bands: Bands) -> str:
    """The band whose lowest total is the highest one not above this total."""
    return next(code for lowest, code in reversed(bands) if total >= lowest)


def _dudit_band(total: int, sex: Sex | None) -> str:
    problems = DUDIT_PROBLEM_CUTOFF_SEX_UNKNOWN if sex is None else DUDIT_PROBLEM_CUTOFFS[sex]
    no_problem, problem, dependence = DUDIT_BAND_CODES
    return _band(
        total, ((0, no_problem), (problems, problem), (DUDIT_DEPENDENCE_CUTOFF, dependence))
    )


def _phq9_flags(values: tuple[int, ...]) -> frozenset[str]:
    return frozenset({SUICIDAL_IDEATION}) if values[PHQ9_SUICIDE_ITEM - 1] > 0 else frozenset()


def _pcl5_flags(values: tuple[int, ...]) -> frozenset[str]:
    endorsed = {n for n, value in enumerate(values, start=1) if value >= PCL5_SYMPTOM_THRESHOLD}
    met = all(len(endorsed.intersection(items)) >= need for items, need in PCL5_CLUSTERS)
    return frozenset({PROVISIONAL_PTSD_DSM5}) if met else frozenset()


def _no_flags(values: tuple[int, ...]) -> frozenset[str]:
    return frozenset()


def _fixed_bands(bands: Bands) -> Callable[[int, Sex | None], str]:
    return lambda total, _: _band(total, bands)


_RULES: dict[
    str, tuple[Callable[[int, Sex | None], str], Callable[[tuple[int, ...]], frozenset[str]]]
] = {
    "PHQ-9": (_fixed_bands(PHQ9_BANDS), _phq9_flags),
    "GAD-7": (_fixed_bands(GAD7_BANDS), _no_flags),
    "PCL-5": (_fixed_bands(PCL5_BANDS), _pcl5_flags),
    "AUDIT": (_fixed_bands(AUDIT_BANDS), _no_flags),
    "DUDIT": (_dudit_band, _no_flags),
}
