"""Response and remission at their edges: exactly 50%, a baseline of 0, no baseline."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.outcomes import (
    DEFAULT_REMISSION_BELOW,
    InvalidRemissionConfig,
    is_remission,
    is_response,
    outcome,
    parse_remission_below,
    percent_change,
)


@pytest.mark.parametrize(
    ("baseline", "latest", "expected"),
    [
        (20, 10, True),  # exactly 50% lower: a response
        (20, 11, False),  # 45%: not yet
        (21, 10, True),  # 52.4%
        (21, 11, False),  # 47.6%: half of an odd baseline is not rounded down
        (1, 0, True),  # 100% of a baseline of 1
        (10, 0, True),
        (10, 15, False),  # worse
        (10, 10, False),  # unchanged
        (0, 0, None),  # baseline 0: nothing can fall by half
        (0, 5, None),
        (None, 4, None),  # missing baseline
        (12, None, None),  # no score after baseline
    ],
)
def test_response_is_at_least_half_of_the_baseline(
    baseline: int | None, latest: int | None, expected: bool | None
) -> None:
    assert is_response(baseline, latest) is expected


@pytest.mark.parametrize(
    ("instrument", "latest", "expected"),
    [
        ("PHQ-9", 4, True),  # Kroenke 2001: < 5
        ("PHQ-9", 5, False),
        ("GAD-7", 4, True),  # Spitzer 2006: < 5
        ("GAD-7", 5, False),
        ("PCL-5", 32, True),  # below the provisional cut-point 33
        ("PCL-5", 33, False),
        ("PHQ-9", None, None),
        ("AUDIT", 0, None),  # no remission cut-off for the AUDIT
    ],
)
def test_remission_is_below_the_instruments_cut_off(
    instrument: str, latest: int | None, expected: bool | None
) -> None:
    assert is_remission(instrument, latest, remission_below=DEFAULT_REMISSION_BELOW) is expected


def test_a_configured_cut_off_replaces_the_default() -> None:
    config = parse_remission_below("PHQ-9=10, PCL-5=45")
    assert config == {"PHQ-9": 10, "GAD-7": 5, "PCL-5": 45}
    assert is_remission("PHQ-9", 9, remission_below=config) is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PHQ9=5", "Unknown instrument 'PHQ9'"),
        ("PHQ-9=five", "PHQ-9: 'five' is not a whole number."),
        ("PHQ-9=0", "the cut-off must be above 0 and at most 27; got 0"),
        ("GAD-7=22", "the cut-off must be above 0 and at most 21; got 22"),
    ],
)
def test_an_impossible_setting_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidRemissionConfig, match=message.replace("(", r"\(")):
        parse_remission_below(text)


def test_an_empty_setting_keeps_the_documented_defaults() -> None:
    assert parse_remission_below("") == {"PHQ-9": 5, "GAD-7": 5, "PCL-5": 33}


def test_the_outcome_says_change_percent_response_and_remission() -> None:
    result = outcome("PHQ-9", 18, 4)
    assert (result.change, result.percent_change) == (-14, -77.8)
    assert (result.response, result.remission) == (True, True)
    missing = outcome("PHQ-9", None, 4)
    assert (missing.change, missing.percent_change, missing.response) == (None, None, None)
    assert missing.remission is True  # remission needs no baseline: the latest is below 5


def test_percent_change_of_a_zero_baseline_is_not_applicable() -> None:
    assert percent_change(0, 3) is None


@given(st.integers(1, 80), st.integers(0, 80))
def test_response_agrees_with_the_percent_change(baseline: int, latest: int) -> None:
    assert is_response(baseline, latest) is ((latest - baseline) * 2 <= -baseline)
