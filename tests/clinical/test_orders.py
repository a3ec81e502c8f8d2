"""Medication orders: routes, doses against the maximum, titration, expiry, signing."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.orders import (
    InvalidOrder,
    Route,
    administration_refusals,
    check_order,
    dose_for_session,
    order_problems,
    units_of,
    whole_units_refusal,
)
from tests.clinical.dosing_examples import TODAY, order

MAXIMUM = Decimal(200)


def _codes(refusals: tuple) -> list[str]:
    return [refusal.code for refusal in refusals]


@pytest.mark.parametrize("route", [Route.INTRANASAL_SPRAY, Route.SUBLINGUAL_RDT])
def test_intranasal_and_sublingual_orders_are_accepted(route: Route) -> None:
    assert check_order(order(route=route), max_dose_mg=MAXIMUM, today=TODAY) == ()


@pytest.mark.parametrize(
    ("route", "name"),
    [
        (Route.INTRAVENOUS, "intravenous injection"),
        (Route.INTRAMUSCULAR, "intramuscular injection"),
    ],
)
def test_an_injected_route_is_refused_with_the_reason(route: Route, name: str) -> None:
    (refusal,) = check_order(order(route=route), max_dose_mg=MAXIMUM, today=TODAY)
    assert refusal.code == "order.route_not_allowed"
    assert refusal.sentence == (
        f"Ketamine by {name} is not given at this clinic: order an intranasal spray or a "
        "sublingual rapid-dissolving tablet."
    )
    assert refusal.params["route"] == route.value


def test_an_unknown_route_cannot_make_an_order() -> None:
    with pytest.raises(InvalidOrder, match="Unknown route 'oral'"):
        order(route="oral")


@pytest.mark.parametrize(
    ("dose", "codes"),
    [
        (Decimal(0), ["order.dose_not_positive"]),
        (Decimal(-50), ["order.dose_not_positive"]),
        (Decimal("0.1"), ["order.dose_not_whole_mg"]),
        (Decimal("37.5"), ["order.dose_not_whole_mg"]),
        (Decimal(200), []),
        (Decimal("200.0"), []),
        (Decimal("200.5"), ["order.dose_not_whole_mg", "order.dose_above_maximum"]),
        (Decimal(400), ["order.dose_above_maximum"]),
    ],
)
def test_the_dose_must_be_above_zero_and_at_most_the_maximum(
    dose: Decimal, codes: list[str]
) -> None:
    refusals = check_order(order(dose_mg=dose), max_dose_mg=MAXIMUM, today=TODAY)
    assert _codes(refusals) == codes


def test_a_dose_above_the_maximum_says_both_amounts() -> None:
    (refusal,) = check_order(order(dose_mg=Decimal(250)), max_dose_mg=MAXIMUM, today=TODAY)
    assert refusal.sentence == "The dose, 250 mg, is above the maximum of 200 mg per session."
    assert dict(refusal.params) == {"dose_mg": "250", "max_dose_mg": "200", "session": None}


def test_every_titration_step_is_checked_and_every_bad_one_reported() -> None:
    titration = (Decimal(50), Decimal(0), Decimal(150), Decimal(250))
    refusals = check_order(order(titration_mg=titration), max_dose_mg=MAXIMUM, today=TODAY)
    assert _codes(refusals) == [
        "order.titration_dose_not_positive",
        "order.titration_dose_above_maximum",
    ]
    assert [r.params["session"] for r in refusals] == [2, 4]
    assert refusals[1].sentence == (
        "The titration dose for session 4, 250 mg, is above the maximum of 200 mg per session."
    )


@pytest.mark.parametrize(
    ("today", "codes"),
    [(date(2026, 12, 30), []), (date(2026, 12, 31), []), (date(2027, 1, 1), ["order.expired"])],
)
def test_an_order_holds_until_the_end_of_its_expiry_date(today: date, codes: list[str]) -> None:
    refusals = check_order(order(), max_dose_mg=MAXIMUM, today=today)
    assert _codes(refusals) == codes
    if refusals:
        assert refusals[0].sentence == "The order expired on 2026-12-31."


def test_every_refusal_is_reported_at_once() -> None:
    bad = order(route=Route.INTRAVENOUS, dose_mg=Decimal(300), titration_mg=(Decimal(-1),))
    refusals = check_order(bad, max_dose_mg=MAXIMUM, today=date(2027, 6, 1))
    assert _codes(refusals) == [
        "order.route_not_allowed",
        "order.dose_above_maximum",
        "order.titration_dose_not_positive",
        "order.expired",
    ]


@pytest.mark.parametrize("maximum", [Decimal(0), Decimal(-10), 12.5, "lots"])
def test_a_maximum_dose_that_cannot_be_meant_is_refused(maximum: object) -> None:
    with pytest.raises(InvalidOrder):
        check_order(order(), max_dose_mg=maximum, today=TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("dose", [100.0, "NaN", "Infinity", True, None, "ten"])
def test_a_dose_must_be_an_exact_number_of_mg(dose: object) -> None:
    with pytest.raises(InvalidOrder):
        order(dose_mg=dose)


def test_a_fraction_of_a_mg_is_refused_with_the_reason() -> None:
    """Issue 10 item 4: 37.5 mg could be signed and cleared, then never given."""
    refusals = check_order(
        order(dose_mg=Decimal("37.5"), titration_mg=("12.5",)), max_dose_mg=MAXIMUM, today=TODAY
    )
    assert _codes(refusals) == ["order.dose_not_whole_mg", "order.titration_dose_not_whole_mg"]
    assert refusals[0].sentence == (
        "The dose, 37.5 mg, is not a whole number of mg: ketamine is ordered in whole mg."
    )


@pytest.mark.parametrize(
    ("dose", "strength", "units"), [(30, 10, 3), (28, 10, None), (100, 50, 2), (25, 50, None)]
)
def test_a_dose_is_whole_units_of_the_product(dose: int, strength: int, units: int | None) -> None:
    assert units_of(dose, strength) == units
    refusal = whole_units_refusal(dose, strength, "Ketamine spray", "spray")
    assert (refusal is None) is (units is not None)


def test_a_dose_of_no_whole_units_says_the_nearest_ones() -> None:
    refusal = whole_units_refusal(28, 10, "Ketamine spray", "spray")
    assert refusal is not None and refusal.code == "dose.not_whole_units"
    assert refusal.sentence == (
        "28 mg is not a whole number of spray of Ketamine spray (10 mg each): "
        "20 mg = 2 × spray / 30 mg = 3 × spray."  # noqa: RUF001
    )


def test_doses_given_as_int_or_str_become_decimal_mg() -> None:
    made = order(dose_mg=150, titration_mg=("62.5",))
    assert made.dose_mg == Decimal(150)
    assert made.titration_mg == (Decimal("62.5"),)


@pytest.mark.parametrize(
    ("session", "dose"), [(1, Decimal(50)), (2, Decimal(75)), (3, Decimal(100)), (12, Decimal(100))]
)
def test_titration_gives_the_first_sessions_their_doses_then_the_order_dose(
    session: int, dose: Decimal
) -> None:
    assert dose_for_session(order(), session) == dose


def test_without_titration_every_session_gets_the_order_dose() -> None:
    assert dose_for_session(order(titration_mg=()), 1) == Decimal(100)


@pytest.mark.parametrize("session", [0, -1, True])
def test_sessions_are_numbered_from_one(session: int) -> None:
    with pytest.raises(InvalidOrder, match="numbered from 1"):
        dose_for_session(order(), session)


@given(
    st.lists(st.integers(1, 400), max_size=6),
    st.integers(1, 400),
    st.integers(1, 20),
)
def test_the_session_dose_is_always_one_the_order_names(
    steps: list[int], dose: int, session: int
) -> None:
    made = order(dose_mg=Decimal(dose), titration_mg=tuple(Decimal(s) for s in steps))
    assert dose_for_session(made, session) in {*made.titration_mg, made.dose_mg}


def test_a_signed_valid_order_for_the_session_route_has_no_problem() -> None:
    problems = order_problems(order(), route=Route.SUBLINGUAL_RDT, max_dose_mg=MAXIMUM, today=TODAY)
    assert problems == ()


def test_no_order_is_a_problem() -> None:
    problems = order_problems(None, route=Route.SUBLINGUAL_RDT, max_dose_mg=MAXIMUM, today=TODAY)
    assert _codes(problems) == ["order.missing"]


def test_an_unsigned_order_cannot_be_used() -> None:
    problems = order_problems(
        order(signed_at=None), route=Route.SUBLINGUAL_RDT, max_dose_mg=MAXIMUM, today=TODAY
    )
    assert _codes(problems) == ["order.unsigned"]


def test_an_order_for_another_route_cannot_be_used() -> None:
    problems = order_problems(
        order(), route=Route.INTRANASAL_SPRAY, max_dose_mg=MAXIMUM, today=TODAY
    )
    assert _codes(problems) == ["order.route_mismatch"]
    assert problems[0].sentence == (
        "The order is for sublingual rapid-dissolving tablet, but this session is planned as "
        "intranasal spray."
    )


def test_order_problems_include_every_reason_check_order_gives() -> None:
    problems = order_problems(
        order(signed_at=None, dose_mg=Decimal(500)),
        route=Route.SUBLINGUAL_RDT,
        max_dose_mg=MAXIMUM,
        today=TODAY + timedelta(days=365),
    )
    assert _codes(problems) == ["order.dose_above_maximum", "order.expired", "order.unsigned"]


def test_the_signing_time_must_be_timezone_aware() -> None:
    with pytest.raises(InvalidOrder, match="timezone-aware"):
        order(signed_at=datetime(2026, 5, 1, 14, 0))


@pytest.mark.parametrize(
    ("session_number", "dose", "codes"),
    [
        (1, Decimal(50), []),
        (2, Decimal(75), []),
        (3, Decimal(100), []),
        (1, Decimal(100), ["administration.dose_not_ordered"]),
        (3, Decimal("99.5"), ["administration.dose_not_ordered"]),
    ],
)
def test_an_administration_gives_the_dose_ordered_for_its_session(
    session_number: int, dose: Decimal, codes: list[str]
) -> None:
    refusals = administration_refusals(
        order(), session_number=session_number, dose_mg=dose, route=Route.SUBLINGUAL_RDT
    )
    assert [r.code for r in refusals] == codes


def test_an_administration_by_another_route_is_refused_with_both_routes_named() -> None:
    (refusal,) = administration_refusals(
        order(), session_number=3, dose_mg=Decimal(100), route=Route.INTRANASAL_SPRAY
    )
    assert refusal.code == "administration.route_not_ordered"
    assert refusal.sentence == (
        "The order is for sublingual rapid-dissolving tablet, not intranasal spray."
    )
