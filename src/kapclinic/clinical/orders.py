"""Ketamine medication orders: what a prescriber may order, and the dose for each session.

`check_order` returns every refusal at once (route, doses, expiry), each with a stable code and
a sentence; `order_problems` adds what makes an order unusable for one session (unsigned, another
route). The maximum dose per session is configuration the caller reads from settings.

Sources: the clinic's scope (dosing issue) allows intranasal spray and sublingual
rapid-dissolving tablets only, the two KAP routes in shared/reference/CLINICAL.md 3.3; every
administration needs a prior written order (Controlled Substances Regulations SOR/2025-242
s.131(1), CLINICAL.md 3.4).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical.reasons import Phrase, Refusal, gettext_noop, phrase


class InvalidOrder(ValueError):
    """Values that cannot describe an order at all: an unknown route, a dose that is no number."""


class Route(StrEnum):
    INTRANASAL_SPRAY = "intranasal_spray"
    SUBLINGUAL_RDT = "sublingual_rdt"
    INTRAVENOUS = "intravenous"
    INTRAMUSCULAR = "intramuscular"


# Clinic scope (dosing issue); CLINICAL.md 3.3: intranasal and sublingual RDT KAP protocols.
ALLOWED_ROUTES = frozenset({Route.INTRANASAL_SPRAY, Route.SUBLINGUAL_RDT})
_ = gettext_noop
# The allowed routes as a person orders them (keep in step with ALLOWED_ROUTES).
ALLOWED_ROUTES_SAID = Phrase(_("an intranasal spray or a sublingual rapid-dissolving tablet"))
ROUTE_NAMES = MappingProxyType(
    {
        Route.INTRANASAL_SPRAY: Phrase(_("intranasal spray")),
        Route.SUBLINGUAL_RDT: Phrase(_("sublingual rapid-dissolving tablet")),
        Route.INTRAVENOUS: Phrase(_("intravenous injection")),
        Route.INTRAMUSCULAR: Phrase(_("intramuscular injection")),
    }
)


def milligrams(value: object, what: str = "A dose") -> Decimal:
    """A quantity in mg as a Decimal (CONVENTIONS.md); floats are refused as inexact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidOrder(f"{what} must be a Decimal, int or str of mg, not {value!r}.")
    try:
        quantity = Decimal(value)
    except ArithmeticError:
        raise InvalidOrder(f"{what} {value!r} is not a number of mg.") from None
    if not quantity.is_finite():
        raise InvalidOrder(f"{what} {value!r} is not a number of mg.")
    return quantity


def _mg(quantity: Decimal | int) -> str:
    return f"{Decimal(quantity).normalize():f} mg"


def is_whole_mg(quantity: Decimal | int) -> bool:
    """Ketamine is ordered, given and counted in whole mg: the register's unit (clinical.ledger),
    the product strengths (mg per tablet or spray) and every stored dose are whole mg."""
    return Decimal(quantity) == Decimal(quantity).to_integral_value()


def units_of(dose_mg: Decimal | int, strength_mg: int) -> int | None:
    """How many tablets or sprays of `strength_mg` make the dose; None when no whole number."""
    units, rest = divmod(Decimal(dose_mg), strength_mg)
    return int(units) if rest == 0 and units > 0 else None


def whole_units_refusal(
    dose_mg: Decimal | int, strength_mg: int, product: str, unit: str
) -> Refusal | None:
    """A dose is whole units of the product given (a 10 mg spray gives 10, 20, 30 mg...)."""
    if units_of(dose_mg, strength_mg) is not None:
        return None
    below = int(Decimal(dose_mg) // strength_mg)
    nearest = [n for n in (below, below + 1) if n > 0]
    said = phrase(
        _(
            "%(dose)s is not a whole number of %(unit)s of %(product)s (%(strength)s each): "
            "%(nearest)s."
        ),
        dose=_mg(dose_mg),
        unit=unit,
        product=product,
        strength=_mg(strength_mg),
        nearest=" / ".join(f"{n * strength_mg} mg = {n} × {unit}" for n in nearest),  # noqa: RUF001
    )
    params = {"dose_mg": str(dose_mg), "strength_mg": str(strength_mg), "product": product}
    return Refusal("dose.not_whole_units", said, params)


@dataclass(frozen=True, slots=True, kw_only=True)
class MedicationOrder:
    """A prescriber's order: the route, the dose, optional titration, and until when it holds.

    `titration_mg` gives the dose of the first sessions in turn (session 1 first); once it runs
    out, every session gets `dose_mg`. The order holds until the end of `expires_on`.
    """

    route: str
    dose_mg: Decimal
    expires_on: date
    titration_mg: tuple[Decimal, ...] = ()
    signed_at: datetime | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "route", Route(self.route))
        except ValueError:
            allowed = ", ".join(route.value for route in Route)
            raise InvalidOrder(f"Unknown route {self.route!r}; allowed: {allowed}.") from None
        object.__setattr__(self, "dose_mg", milligrams(self.dose_mg))
        steps = tuple(milligrams(step, "A titration dose") for step in self.titration_mg)
        object.__setattr__(self, "titration_mg", steps)
        if self.signed_at is not None and self.signed_at.utcoffset() is None:
            raise InvalidOrder("The signing time must be timezone-aware.")


def dose_for_session(order: MedicationOrder, session_number: int) -> Decimal:
    """The dose in mg for the n-th dosing session under this order (the first is 1)."""
    if isinstance(session_number, bool) or session_number < 1:
        raise InvalidOrder(f"Sessions are numbered from 1, not {session_number!r}.")
    if session_number <= len(order.titration_mg):
        return order.titration_mg[session_number - 1]
    return order.dose_mg


def _route_refusals(order: MedicationOrder) -> list[Refusal]:
    if order.route in ALLOWED_ROUTES:
        return []
    said = phrase(
        _("Ketamine by %(route)s is not given at this clinic: order %(allowed)s."),
        route=ROUTE_NAMES[Route(order.route)],
        allowed=ALLOWED_ROUTES_SAID,
    )
    return [Refusal("order.route_not_allowed", said, {"route": order.route})]


def _dose_refusals(dose: Decimal, max_dose_mg: Decimal, session: int | None) -> list[Refusal]:
    """Refusals for one dose: the order's own (session None) or a titration step."""
    prefix = "order.dose" if session is None else "order.titration_dose"
    which = (
        Phrase(_("The dose"))
        if session is None
        else phrase(_("The titration dose for session %(session)s"), session=session)
    )
    params = {"dose_mg": str(dose), "max_dose_mg": str(max_dose_mg), "session": session}
    refusals = []
    if not is_whole_mg(dose):
        said = phrase(
            _("%(which)s, %(dose)s, is not a whole number of mg: ketamine is ordered in whole mg."),
            which=which,
            dose=_mg(dose),
        )
        refusals.append(Refusal(f"{prefix}_not_whole_mg", said, params))
    if dose <= 0:
        said = phrase(_("%(which)s must be more than 0 mg."), which=which)
        return [*refusals, Refusal(f"{prefix}_not_positive", said, params)]
    if dose > max_dose_mg:
        said = phrase(
            _("%(which)s, %(dose)s, is above the maximum of %(maximum)s per session."),
            which=which,
            dose=_mg(dose),
            maximum=_mg(max_dose_mg),
        )
        return [*refusals, Refusal(f"{prefix}_above_maximum", said, params)]
    return refusals


def check_order(
    order: MedicationOrder, *, max_dose_mg: Decimal | int, today: date
) -> tuple[Refusal, ...]:
    """Every reason the order cannot stand as written today; empty when it can."""
    maximum = milligrams(max_dose_mg, "The maximum dose per session")
    if maximum <= 0:
        raise InvalidOrder(f"The maximum dose per session must be above 0 mg, not {maximum}.")
    refusals = _route_refusals(order) + _dose_refusals(order.dose_mg, maximum, None)
    for session, step in enumerate(order.titration_mg, start=1):
        refusals += _dose_refusals(step, maximum, session)
    if today > order.expires_on:
        refusals.append(
            Refusal(
                "order.expired",
                phrase(_("The order expired on %(date)s."), date=order.expires_on.isoformat()),
                {"expires_on": order.expires_on.isoformat()},
            )
        )
    return tuple(refusals)


def order_problems(
    order: MedicationOrder | None, *, route: str, max_dose_mg: Decimal | int, today: date
) -> tuple[Refusal, ...]:
    """Every reason this order cannot be used for a session by `route` today."""
    if order is None:
        return (Refusal("order.missing", _("There is no medication order for this session.")),)
    refusals = list(check_order(order, max_dose_mg=max_dose_mg, today=today))
    if order.signed_at is None:
        refusals.append(Refusal("order.unsigned", _("The medication order is not signed.")))
    session_route = Route(route)
    if order.route != session_route:
        refusals.append(
            Refusal(
                "order.route_mismatch",
                phrase(
                    _("The order is for %(ordered)s, but this session is planned as %(planned)s."),
                    ordered=ROUTE_NAMES[Route(order.route)],
                    planned=ROUTE_NAMES[session_route],
                ),
                {"order_route": order.route, "session_route": session_route.value},
            )
        )
    return tuple(refusals)


def administration_refusals(
    order: MedicationOrder, *, session_number: int, dose_mg: Decimal | int, route: str
) -> tuple[Refusal, ...]:
    """Why a dose as given cannot be recorded under the order: another dose or another route.

    The dose given is the one ordered for this session (SOR/2025-242 s.131(1): administered
    under a prior written order); a different dose needs a changed order first.
    """
    ordered = dose_for_session(order, session_number)
    given = milligrams(dose_mg)
    refusals = []
    if given != ordered:
        refusals.append(
            Refusal(
                "administration.dose_not_ordered",
                phrase(
                    _(
                        "The order is for %(ordered)s at session %(session)s, not %(given)s: "
                        "change the order first."
                    ),
                    ordered=_mg(ordered),
                    session=session_number,
                    given=_mg(given),
                ),
                {"ordered_mg": str(ordered), "given_mg": str(given), "session": session_number},
            )
        )
    if Route(route) != order.route:
        refusals.append(
            Refusal(
                "administration.route_not_ordered",
                phrase(
                    _("The order is for %(ordered)s, not %(given)s."),
                    ordered=ROUTE_NAMES[Route(order.route)],
                    given=ROUTE_NAMES[Route(route)],
                ),
                {"order_route": order.route, "given_route": route},
            )
        )
    return tuple(refusals)
