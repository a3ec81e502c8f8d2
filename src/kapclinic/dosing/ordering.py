"""Writes for ketamine orders: a physician signs one; a change signs a new version."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.selectors import current_enrolment
from kapclinic.clinical.orders import (
    InvalidOrder,
    MedicationOrder,
    check_order,
    units_of,
    whole_units_refusal,
)
from kapclinic.clinical.reasons import Refusal
from kapclinic.dosing.access import ORDER_ROLES, require_role
from kapclinic.dosing.errors import DosingCode, DosingError, refuse
from kapclinic.dosing.models import Order
from kapclinic.dosing.units import products_for
from kapclinic.errors import Conflict
from kapclinic.patients.models import Patient


def _checked(
    patient: Patient, route: str, dose_mg: Decimal, titration_mg: list[Decimal], expires_on: date
) -> None:
    try:
        order = MedicationOrder(
            route=route,
            dose_mg=dose_mg,
            titration_mg=tuple(titration_mg),
            expires_on=expires_on,
            signed_at=timezone.now(),
        )
    except InvalidOrder as error:
        raise DosingError(str(error), code=DosingCode.ORDER_INVALID) from None
    # "Today" is the patient's clinic's day: late evening in Vancouver is tomorrow in Toronto.
    today = patient.clinic.today()
    refuse(check_order(order, max_dose_mg=settings.DOSING_MAX_DOSE_MG, today=today))
    refuse(_unit_refusals(route, [dose_mg, *titration_mg]))


def _unit_refusals(route: str, doses: list[Decimal]) -> list[Refusal]:
    """Each dose must be whole tablets or sprays of a product the formulary holds for the route
    (none registered yet: nothing to check against)."""
    products = products_for(route)
    refusals = []
    for dose in doses:
        if products and all(units_of(dose, p.strength_mg) is None for p in products):
            first = products[0]
            refusal = whole_units_refusal(
                dose, first.strength_mg, first.name, first.get_unit_display()
            )
            refusals.append(refusal)
    return [r for r in refusals if r is not None]


@transaction.atomic
def sign_order(
    *,
    by: User,
    patient: Patient,
    route: str,
    dose_mg: Decimal,
    expires_on: date,
    titration_mg: list[Decimal] | None = None,
    supersedes: Order | None = None,
    reason_for_change: str = "",
) -> Order:
    """A physician's signed order for the patient's current enrolment (clinical.orders checks)."""
    require_role(by, ORDER_ROLES, _("Only a physician orders ketamine."))
    enrolment = current_enrolment(patient)
    if enrolment is None:
        raise DosingError(
            _("Enrol the patient in a program before ordering."), code=DosingCode.ORDER_NO_ENROLMENT
        )
    titration = list(titration_mg or [])
    _checked(patient, route, dose_mg, titration, expires_on)
    if supersedes is not None:
        # The order changed must be this patient's (never an order id from another record).
        supersedes = child_of(
            patient,
            Order.objects.select_for_update(),
            supersedes.pk,
            missing=_("No order was found."),
        )
        if hasattr(supersedes, "superseded_by"):
            raise Conflict(_("This order was already changed; change the latest version."))
        if not reason_for_change.strip():
            raise DosingError(_("Say why the order changes."), code=DosingCode.ORDER_REASON_MISSING)
    order = Order.objects.create(
        enrolment=enrolment,
        patient=patient,
        route=route,
        # Whole mg once check_order has refused anything else (clinical.orders.is_whole_mg).
        dose_mg=int(dose_mg),
        titration_mg=[int(step) for step in titration],
        expires_on=expires_on,
        signed_by=by,
        supersedes=supersedes,
        reason_for_change=reason_for_change.strip(),
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=patient,
        target=order,
        detail={
            "route": route,
            "dose_mg": int(dose_mg),
            "supersedes": getattr(supersedes, "pk", None),
        },
    )
    return order
