"""Writes for ketamine orders: a physician signs one; a change signs a new version."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.selectors import current_enrolment
from kapclinic.clinical.orders import InvalidOrder, MedicationOrder, check_order
from kapclinic.dosing.access import ORDER_ROLES, require_role
from kapclinic.dosing.errors import DosingError, refuse
from kapclinic.dosing.models import Order
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
        raise DosingError(str(error), code="order.invalid") from None
    # "Today" is the patient's clinic's day: late evening in Vancouver is tomorrow in Toronto.
    today = patient.clinic.today()
    refuse(check_order(order, max_dose_mg=settings.DOSING_MAX_DOSE_MG, today=today))


@transaction.atomic
def sign_order(
    *,
    by: Any,
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
            _("Enrol the patient in a program before ordering."), code="order.no_enrolment"
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
            raise DosingError(_("Say why the order changes."), code="order.reason_missing")
    order = Order.objects.create(
        enrolment=enrolment,
        patient=patient,
        route=route,
        dose_mg=dose_mg,
        titration_mg=[str(step) for step in titration],
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
            "dose_mg": str(dose_mg),
            "supersedes": getattr(supersedes, "pk", None),
        },
    )
    return order
