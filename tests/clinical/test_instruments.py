"""Questionnaire scoring: every published band edge, the safety flags, and refused answers."""

from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.instruments import (
    AUDIT_ITEM_COUNT,
    DUDIT_ITEM_COUNT,
    EN,
    FR,
    GAD7_ITEM_COUNT,
    INSTRUMENTS,
    PCL5_ITEM_COUNT,
    PHQ9_ITEM_COUNT,
    PROVISIONAL_PTSD_DSM5,
    SUICIDAL_IDEATION,
    InvalidAnswers,
    Sex,
    UnknownInstrument,
    get_instrument,
    score,
)

CODES = tuple(INSTRUMENTS)


def answers_with_total(code: str, total: int) -> list[int]:
    """Allowed answers, one per item, adding up to `total` (items 9-10 of AUDIT are 0/2/4)."""
    items = get_instrument(code).items

    def fill(index: int, remaining: int) -> list[int] | None:
        if index == len(items):
            return [] if remaining == 0 else None
        rest_max = sum(max(item.allowed_values) for item in items[index + 1 :])
        for value in sorted(items[index].allowed_values, reverse=True):
            if 0 <= remaining - value <= rest_max:
                tail = fill(index + 1, remaining - value)
                if tail is not None:
                    return [value, *tail]
        return None

    found = fill(0, total)
    assert found is not None, f"no {code} answers add up to {total}"
    return found


# Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606: 0-4, 5-9, 10-14, 15-19, 20-27.
PHQ9_EDGES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately_severe"),
    (19, "moderately_severe"),
    (20, "severe"),
    (27, "severe"),
]
# Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092: 0-4, 5-9, 10-14, 15-21.
GAD7_EDGES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]
# Weathers et al. 2013, PCL-5 (National Center for PTSD): probable PTSD from 33 of 80.
PCL5_EDGES = [
    (0, "below_threshold"),
    (32, "below_threshold"),
    (33, "probable_ptsd"),
    (80, "probable_ptsd"),
]
# Babor et al. 2001, WHO AUDIT manual 2nd ed., Table 3: zones 0-7, 8-15, 16-19, 20-40.
AUDIT_EDGES = [
    (0, "zone_1"),
    (7, "zone_1"),
    (8, "zone_2"),
    (15, "zone_2"),
    (16, "zone_3"),
    (19, "zone_3"),
    (20, "zone_4"),
    (40, "zone_4"),
]
# Berman et al. 2003, DUDIT Manual: problems from 2 (women; used when sex is not given),
# probable dependence from 25 of 44.
DUDIT_EDGES_SEX_UNKNOWN = [
    (0, "no_problem"),
    (1, "no_problem"),
    (2, "drug_related_problems"),
    (24, "drug_related_problems"),
    (25, "probable_dependence"),
    (44, "probable_dependence"),
]
EDGES = (
    [("PHQ-9", total, band) for total, band in PHQ9_EDGES]
    + [("GAD-7", total, band) for total, band in GAD7_EDGES]
    + [("PCL-5", total, band) for total, band in PCL5_EDGES]
    + [("AUDIT", total, band) for total, band in AUDIT_EDGES]
    + [("DUDIT", total, band) for total, band in DUDIT_EDGES_SEX_UNKNOWN]
)


@pytest.mark.parametrize(("code", "total", "band"), EDGES, ids=[f"{c}-{t}" for c, t, _ in EDGES])
def test_each_band_edge_scores_as_published(code: str, total: int, band: str) -> None:
    result = score(code, answers_with_total(code, total))
    assert (result.code, result.total, result.band) == (code, total, band)


# Berman et al. 2003, DUDIT Manual: drug-related problems from 6 points for men, 2 for women;
# 25 or more, either sex, probable dependence.
DUDIT_EDGES_BY_SEX = [
    (Sex.MALE, 0, "no_problem"),
    (Sex.MALE, 5, "no_problem"),
    (Sex.MALE, 6, "drug_related_problems"),
    (Sex.MALE, 24, "drug_related_problems"),
    (Sex.MALE, 25, "probable_dependence"),
    (Sex.FEMALE, 1, "no_problem"),
    (Sex.FEMALE, 2, "drug_related_problems"),
    (Sex.FEMALE, 24, "drug_related_problems"),
    (Sex.FEMALE, 25, "probable_dependence"),
    (Sex.FEMALE, 44, "probable_dependence"),
]


@pytest.mark.parametrize(("sex", "total", "band"), DUDIT_EDGES_BY_SEX)
def test_dudit_problem_cutoff_depends_on_sex(sex: Sex, total: int, band: str) -> None:
    assert score("DUDIT", answers_with_total("DUDIT", total), sex=sex).band == band
    assert score("DUDIT", answers_with_total("DUDIT", total), sex=sex.value).band == band


def test_sex_leaves_other_instruments_alone_and_must_be_known() -> None:
    answers = answers_with_total("PHQ-9", 12)
    assert score("PHQ-9", answers, sex=Sex.MALE) == score("PHQ-9", answers)
    with pytest.raises(ValueError, match=r"^sex must be 'female', 'male' or None; got 'x'\.$"):
        score("DUDIT", [0] * DUDIT_ITEM_COUNT, sex="x")


@pytest.mark.parametrize("item_9", [1, 2, 3])
def test_phq9_item_9_above_zero_flags_suicidal_ideation_even_at_a_minimal_total(
    item_9: int,
) -> None:
    result = score("PHQ-9", [0] * 8 + [item_9])
    assert result.band == "minimal"
    assert result.flags == frozenset({SUICIDAL_IDEATION})


def test_phq9_item_9_at_zero_raises_no_flag_even_at_a_severe_total() -> None:
    result = score("PHQ-9", [3] * 8 + [0])
    assert (result.band, result.flags) == ("severe", frozenset())


# Weathers et al. 2013 (NCPTSD): items rated 2+ count; DSM-5 needs 1 B, 1 C, 2 D, 2 E.
FEWEST_SYMPTOMS_FOR_DSM5 = [2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0]


def test_pcl5_dsm5_rule_met_with_fewest_symptoms_flags_provisional_ptsd() -> None:
    result = score("PCL-5", FEWEST_SYMPTOMS_FOR_DSM5)
    assert (result.total, result.band) == (12, "below_threshold")
    assert result.flags == frozenset({PROVISIONAL_PTSD_DSM5})


@pytest.mark.parametrize(
    ("cluster", "item"), [("B", 1), ("C", 6), ("D", 8), ("E", 15)], ids=["B", "C", "D", "E"]
)
def test_pcl5_one_symptom_short_in_any_cluster_raises_no_flag(cluster: str, item: int) -> None:
    answers = list(FEWEST_SYMPTOMS_FOR_DSM5)
    answers[item - 1] = 1  # "A little bit" is not a symptom endorsed
    assert score("PCL-5", answers).flags == frozenset(), cluster


def test_gad7_audit_and_dudit_define_no_flags() -> None:
    for code in ("GAD-7", "AUDIT", "DUDIT"):
        instrument = get_instrument(code)
        assert score(code, answers_with_total(code, instrument.max_total)).flags == frozenset()


@pytest.mark.parametrize(
    ("code", "item", "value"),
    [("AUDIT", 9, 1), ("AUDIT", 9, 3), ("AUDIT", 10, 1), ("DUDIT", 10, 3), ("DUDIT", 11, 1)],
)
def test_odd_answers_on_the_0_2_4_items_are_refused(code: str, item: int, value: int) -> None:
    answers = [0] * len(get_instrument(code).items)
    answers[item - 1] = value
    with pytest.raises(InvalidAnswers) as raised:
        score(code, answers)
    assert (raised.value.code, raised.value.item, raised.value.allowed) == (code, item, (0, 2, 4))


def test_error_messages_name_the_instrument_the_item_and_the_allowed_values() -> None:
    cases = [
        (
            ("AUDIT", [0] * 8 + [1, 0]),
            "AUDIT item 9: 1 is not an allowed answer; allowed values are 0, 2, 4.",
        ),
        (
            ("PHQ-9", [0, 0, True, 0, 0, 0, 0, 0, 0]),
            "PHQ-9 item 3: True is not an integer; allowed values are 0, 1, 2, 3.",
        ),
        (
            ("PCL-5", [0] * 20 + [5]),
            "PCL-5 expects 20 answers, one per item (items 1 to 20); got 21.",
        ),
        (
            ("GAD-7", "0000000"),
            "GAD-7 answers must be a list of 7 integers in item order; got str.",
        ),
    ]
    for args, message in cases:
        with pytest.raises(InvalidAnswers) as raised:
            score(*args)
        assert str(raised.value) == message


@pytest.mark.parametrize("code", ["PHQ-8", "phq-9", "", "BDI-II"])
def test_an_unknown_instrument_is_refused_listing_the_known_ones(code: str) -> None:
    message = f"Unknown instrument {code!r}; known: PHQ-9, GAD-7, PCL-5, AUDIT, DUDIT."
    with pytest.raises(UnknownInstrument) as raised:
        score(code, [0] * 9)
    assert str(raised.value) == message
    with pytest.raises(UnknownInstrument):
        get_instrument(code)


@st.composite
def valid_answers(draw: st.DrawFn, code: str | None = None) -> tuple[str, list[int]]:
    code = draw(st.sampled_from(CODES)) if code is None else code
    items = get_instrument(code).items
    return code, [draw(st.sampled_from(item.allowed_values)) for item in items]


@given(valid_answers(), st.sampled_from([None, *Sex]))
def test_every_valid_answer_vector_scores_in_range_with_a_band(
    case: tuple[str, list[int]], sex: Sex | None
) -> None:
    code, answers = case
    instrument = get_instrument(code)
    result = score(code, answers, sex=sex)
    assert result.total == sum(answers)
    assert instrument.min_total <= result.total <= instrument.max_total
    assert result.band in instrument.band_codes


@given(valid_answers("PHQ-9"))
def test_phq9_flags_suicidal_ideation_exactly_when_item_9_is_above_zero(
    case: tuple[str, list[int]],
) -> None:
    _, answers = case
    assert (SUICIDAL_IDEATION in score("PHQ-9", answers).flags) == (answers[8] > 0)


@st.composite
def wrong_length(draw: st.DrawFn) -> tuple[str, list[int]]:
    code = draw(st.sampled_from(CODES))
    count = len(get_instrument(code).items)
    length = draw(st.integers(0, count + 5).filter(lambda n: n != count))
    return code, draw(st.lists(st.integers(0, 4), min_size=length, max_size=length))


@given(wrong_length())
def test_a_wrong_number_of_answers_is_refused(case: tuple[str, list[int]]) -> None:
    code, answers = case
    with pytest.raises(InvalidAnswers, match=f"^{code} expects "):
        score(code, answers)


@st.composite
def one_bad_answer(draw: st.DrawFn, bad: st.SearchStrategy[object]) -> tuple[str, list, int]:
    code, answers = draw(valid_answers())
    item = draw(st.sampled_from(get_instrument(code).items))
    answers[item.number - 1] = draw(bad.filter(lambda v: v not in item.allowed_values))
    return code, answers, item.number


NOT_INTEGERS = st.one_of(
    st.booleans(),
    st.floats(),
    st.text(max_size=2),
    st.none(),
    st.just(Decimal(1)),
    st.just([1]),
)


@given(one_bad_answer(st.integers()))
def test_an_integer_its_item_does_not_allow_is_refused(case: tuple[str, list, int]) -> None:
    code, answers, number = case
    with pytest.raises(InvalidAnswers, match=f"^{code} item {number}: ") as raised:
        score(code, answers)
    assert raised.value.item == number


@given(one_bad_answer(NOT_INTEGERS))
def test_an_answer_that_is_not_an_integer_is_refused(case: tuple[str, list, int]) -> None:
    code, answers, number = case
    with pytest.raises(InvalidAnswers, match=f"^{code} item {number}: .* is not an integer;"):
        score(code, answers)


@pytest.mark.parametrize(
    ("code", "count", "maximum"),
    [
        ("PHQ-9", PHQ9_ITEM_COUNT, 27),
        ("GAD-7", GAD7_ITEM_COUNT, 21),
        ("PCL-5", PCL5_ITEM_COUNT, 80),
        ("AUDIT", AUDIT_ITEM_COUNT, 40),
        ("DUDIT", DUDIT_ITEM_COUNT, 44),
    ],
)
def test_each_instrument_has_its_published_items_and_range(
    code: str, count: int, maximum: int
) -> None:
    instrument = get_instrument(code)
    assert [item.number for item in instrument.items] == list(range(1, count + 1))
    assert (instrument.min_total, instrument.max_total) == (0, maximum)
    assert all(item.text_en and item.options for item in instrument.items)


def test_items_scored_0_2_4_are_exactly_audit_9_10_and_dudit_10_11() -> None:
    harm_items = {
        (code, item.number)
        for code, instrument in INSTRUMENTS.items()
        for item in instrument.items
        if item.allowed_values == (0, 2, 4)
    }
    assert harm_items == {("AUDIT", 9), ("AUDIT", 10), ("DUDIT", 10), ("DUDIT", 11)}


def test_bilingual_instruments_have_every_french_text_and_english_only_ones_none() -> None:
    languages = {code: instrument.languages for code, instrument in INSTRUMENTS.items()}
    assert languages == {
        "PHQ-9": (EN, FR),
        "GAD-7": (EN, FR),
        "PCL-5": (EN, FR),
        "AUDIT": (EN,),
        "DUDIT": (EN,),
    }
    for instrument in INSTRUMENTS.values():
        french = [item.text_fr for item in instrument.items]
        french += [option.label_fr for item in instrument.items for option in item.options]
        if FR in instrument.languages:
            assert all(french), instrument.code
        else:
            assert set(french) == {None}, instrument.code


def test_an_instrument_claiming_french_without_its_texts_is_refused() -> None:
    with pytest.raises(ValueError, match="disagree with its texts"):
        replace(get_instrument("AUDIT"), languages=(EN, FR))


def test_instruments_and_results_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        INSTRUMENTS["PHQ-9"] = get_instrument("GAD-7")  # type: ignore[index]
    result = score("GAD-7", (0,) * GAD7_ITEM_COUNT)
    with pytest.raises(FrozenInstanceError):
        result.total = 21  # type: ignore[misc]
