"""What a program would cost a patient, itemized, before enrolment: the program template's
sessions priced from the clinic's fee schedule, with taxes per item and the part an insurer
may reimburse. A read, not a document: nothing is stored, the read is audited."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.services import record_page_read
from kapclinic.billing.models import ZERO, FeeItem, SalesTax, TaxTreatment
from kapclinic.billing.money import Rate, taxes_on
from kapclinic.care.models import ProgramTemplate
from kapclinic.clinics.models import Clinic
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import AppointmentKind


@dataclass(frozen=True)
class EstimateLine:
    code: str
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    tax: Decimal
    total: Decimal
    claimable: Decimal


@dataclass(frozen=True)
class Estimate:
    clinic: Clinic
    program: ProgramTemplate
    lines: list[EstimateLine]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    claimable: Decimal
    # Sessions of the program the fee schedule has no price for (shown, never guessed).
    unpriced: list[str]


def _sessions(program: ProgramTemplate) -> list[tuple[AppointmentKind, int]]:
    return [
        (AppointmentKind.PREPARATION, program.preparation_sessions),
        (AppointmentKind.DOSING, program.dosing_sessions),
        (AppointmentKind.INTEGRATION, program.integration_sessions),
    ]


def _line(fee: FeeItem, quantity: int, rates: tuple[Rate, ...]) -> EstimateLine:
    taxed = fee.tax_treatment == TaxTreatment.TAXABLE
    unit_tax = sum((t.amount for t in taxes_on(fee.price, rates)), ZERO) if taxed else ZERO
    amount, tax = fee.price * quantity, unit_tax * quantity
    return EstimateLine(
        code=fee.code,
        description=fee.description(),
        quantity=quantity,
        unit_price=fee.price,
        amount=amount,
        tax=tax,
        total=amount + tax,
        claimable=amount + tax if fee.claimable else ZERO,
    )


def program_estimate(clinic: Clinic, program: ProgramTemplate) -> Estimate:
    fees = {
        fee.appointment_type.kind: fee
        for fee in FeeItem.objects.filter(clinic=clinic, active=True)
        .select_related("appointment_type")
        .exclude(appointment_type=None)
        .order_by("-pk")
        if fee.appointment_type is not None  # excluded above; says so to the type checker
    }
    rates = tuple(
        Rate(t.code, t.rate, t.name_en, t.name_fr)
        for t in SalesTax.objects.filter(jurisdiction_id=clinic.jurisdiction_id)
    )
    lines, unpriced = [], []
    for kind, quantity in _sessions(program):
        if quantity == 0:
            continue
        if kind in fees:
            lines.append(_line(fees[kind], quantity, rates))
        else:
            unpriced.append(
                _("%(service)s (%(count)s)") % {"count": quantity, "service": kind.label}
            )
    return Estimate(
        clinic=clinic,
        program=program,
        lines=lines,
        subtotal=sum((line.amount for line in lines), ZERO),
        tax=sum((line.tax for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        claimable=sum((line.claimable for line in lines), ZERO),
        unpriced=unpriced,
    )


def estimate_for(*, by: User, patient: Patient, program: ProgramTemplate) -> Estimate:
    """The estimate shown to a patient (or to staff about a patient), audited as a read."""
    estimate = program_estimate(patient.clinic, program)
    record_page_read(actor=by, patient=patient, page=f"billing.estimate.{program.code}")
    return estimate
