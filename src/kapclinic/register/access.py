"""Who works with the controlled-substance register, and which clinics' registers they open.

Physicians and nurses hold, give and destroy ketamine; clinic admins receive stock, move it
between clinics, count it and produce the register for an inspector. Only the health
professionals (physicians, nurses) destroy stock or witness its destruction, as the
Controlled Substances Regulations ask of "another health professional" (SOR/2025-242 s.174).
"""

from typing import Any

from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.accounts.selectors import clinics_of
from kapclinic.clinics.models import Clinic
from kapclinic.errors import NotFound
from kapclinic.register.models import Discrepancy, LedgerEntry

# Open the register, record receipts, transfers and counts, export the register report.
REGISTER_ROLES = frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN})
# Give a dose, waste or destroy stock, and witness a destruction.
HANDLING_ROLES = frozenset({Role.PHYSICIAN, Role.NURSE})
# Add products to the formulary: what the clinics stock is a physician's or an admin's decision.
FORMULARY_ROLES = frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN})


def register_clinics(user: User) -> Any:
    """The clinics whose register `user` may open (none for roles outside the register)."""
    clinics = clinics_of(user)
    if not user.is_active or user.role not in REGISTER_ROLES:
        return clinics.none()
    return clinics


def access_clinic(*, by: User, clinic_id: int) -> Clinic:
    clinic = register_clinics(by).filter(pk=clinic_id).first()
    if clinic is None:
        raise NotFound(_("No register was found for this clinic."))
    return clinic


def access_discrepancy(*, by: User, discrepancy_id: int) -> Discrepancy:
    found = (
        Discrepancy.objects.select_related("clinic__jurisdiction", "lot__product", "count")
        .filter(pk=discrepancy_id, clinic__in=register_clinics(by))
        .first()
    )
    if found is None:
        raise NotFound(_("No discrepancy was found."))
    return found


def access_entry(*, by: User, clinic: Clinic, entry_id: int) -> LedgerEntry:
    """An entry of a clinic whose register `by` opened already (access_clinic)."""
    entries = LedgerEntry.objects.select_related("clinic", "lot__product", "recorded_by")
    return child_of(
        clinic,
        entries.filter(clinic__in=register_clinics(by)),
        entry_id,
        missing=_("No ledger entry was found."),
    )
