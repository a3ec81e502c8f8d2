"""Who sees which invoices: billing staff and clinic admins of the invoice's clinic.

They read the money and the service dates, never the clinical content (session notes,
vitals, questionnaires: patients.access.CHART_FIELDS keeps to the same rule).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CHART_ROLES, Role
from kapclinic.accounts.selectors import clinics_of
from kapclinic.billing.models import Invoice
from kapclinic.errors import NotFound

# Issue invoices and credit notes, record payments, follow receivables.
BILLING_ROLES = frozenset({Role.BILLING, Role.CLINIC_ADMIN})
# Show a patient what a program would cost before enrolment: everyone who opens the chart
# (a therapist only for their care team's patients, by patients.access).
ESTIMATE_ROLES = CHART_ROLES


def visible_invoices(user: User) -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("patient", "clinic__jurisdiction")
    if not user.is_authenticated or not user.is_active:
        return invoices.none()
    if user.role == Role.PATIENT:
        return invoices.filter(patient__user=user)
    if user.role in BILLING_ROLES:
        return invoices.filter(clinic__in=clinics_of(user))
    return invoices.none()


def access_invoice(*, by: User, invoice_id: int) -> Invoice:
    found = visible_invoices(by).filter(pk=invoice_id).first()
    if found is None:
        raise NotFound(_("No invoice was found."))
    return found
