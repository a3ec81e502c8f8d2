"""Demo billing: each clinic's fee schedule, the morning's ketamine session invoiced (owed),
and for the portal patient a preparation session from ten days ago invoiced and paid, so the
portal has a receipt; one older invoice makes the receivables' aging show; one delivered
session is left to invoice.

Prices are demonstration figures, not advice; whether the ketamine session fee is taxable
is a clinic's configuration (here taxable, to show GST and QST per item).
Idempotent like the rest of the demo: a clinic with a fee schedule is left alone.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.billing.models import FeeItem, Invoice, TaxTreatment
from kapclinic.billing.services import invoice_services, record_payment
from kapclinic.clinics.models import Clinic, Room
from kapclinic.dosing.models import DosingSession
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import Appointment, AppointmentType, Attendance, Status

EXEMPT, TAXABLE = TaxTreatment.EXEMPT, TaxTreatment.TAXABLE
# code, appointment type, English, French, price, claimable, tax treatment
FEES = [
    ("MED-01", "medical-screening", "Medical assessment", "Évaluation médicale",
     "250.00", False, EXEMPT),
    ("PSY-PREP", "preparation", "Preparation psychotherapy (60 min)",
     "Psychothérapie de préparation (60 min)", "180.00", True, EXEMPT),
    ("KAP-SES", "ketamine-session", "Ketamine session: room, monitoring and supplies",
     "Séance de kétamine : salle, surveillance et fournitures", "650.00", False, TAXABLE),
    ("PSY-INT", "integration", "Integration psychotherapy (60 min)",
     "Psychothérapie d'intégration (60 min)", "180.00", True, EXEMPT),
    ("PSY-GRP", "integration-group", "Integration group (90 min)",
     "Groupe d'intégration (90 min)", "90.00", True, EXEMPT),
]  # fmt: skip


def _fees(clinic: Clinic) -> None:
    for code, type_code, en, fr, price, claimable, treatment in FEES:
        FeeItem.objects.create(
            clinic=clinic,
            code=code,
            appointment_type=AppointmentType.objects.get(code=type_code),
            description_en=en,
            description_fr=fr,
            price=Decimal(price),
            claimable=claimable,
            tax_treatment=treatment,
        )


def _attended(clinic: Clinic, patient: Patient, staff: dict[Role, User], days: int) -> Attendance:
    """A preparation session `days` ago at 10:00, attended (demo history, written directly)."""
    day = clinic.today() - timedelta(days=days)
    starts = datetime.combine(day, time(10), clinic.tzinfo)
    appointment = Appointment.objects.create(
        clinic=clinic,
        type=AppointmentType.objects.get(code="preparation"),
        room=Room.objects.filter(clinic=clinic, dosing_capable=False).earliest("pk"),
        clinician=staff[Role.THERAPIST],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        booked_by=staff[Role.INTAKE],
    )
    return Attendance.objects.create(
        appointment=appointment,
        patient=patient,
        starts_at=starts,
        ends_at=appointment.ends_at,
        status=Status.ATTENDED,
    )


def seed_billing(clinic: Clinic, staff: dict[Role, User], portal_user: User | None) -> None:
    if FeeItem.objects.filter(clinic=clinic).exists():
        return
    _fees(clinic)
    clerk = staff[Role.BILLING]
    patients = list(Patient.objects.filter(clinic=clinic).order_by("pk")[:2])
    if len(patients) == 2:  # an older invoice, still owed: 45 days in the receivables
        older = invoice_services(
            by=clerk,
            patient=patients[1],
            attendance_ids=[_attended(clinic, patients[1], staff, 45).pk],
        )
        Invoice.objects.filter(pk=older.pk).update(issued_on=clinic.today() - timedelta(days=45))
    owner = Patient.objects.filter(user=portal_user).first() if portal_user else None
    if owner is not None and owner.clinic_id == clinic.pk:
        paid = invoice_services(
            by=clerk, patient=owner, attendance_ids=[_attended(clinic, owner, staff, 10).pk]
        )
        record_payment(
            by=clerk, invoice=paid, method="debit", amount=paid.total, received_on=clinic.today()
        )
    session = DosingSession.objects.filter(clinic=clinic, state="discharged").first()
    if session is not None:
        invoice_services(by=clerk, patient=session.patient, attendance_ids=[session.attendance_id])
    if patients:  # a session delivered three days ago, left for billing staff to invoice
        _attended(clinic, patients[0], staff, 3)
