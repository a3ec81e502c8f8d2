"""Who reads the outcome dashboards and who exports for research: one place, deny by default.

Dashboards: the medical director and clinic admins (their clinics; the director's network).
The research export: the medical director only (it leaves the clinic, de-identified)."""

from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.errors import NotPermitted


def may_read_dashboards(user: User) -> bool:
    if user.role == Role.CLINIC_ADMIN:
        return True
    return user.role == Role.PHYSICIAN and user.is_medical_director


def may_export_research(user: User) -> bool:
    return user.role == Role.PHYSICIAN and user.is_medical_director


def check_dashboards(user: User) -> None:
    if not may_read_dashboards(user):
        raise NotPermitted(_("Only the medical director and clinic admins read the dashboards."))


def check_research_export(user: User) -> None:
    if not may_export_research(user):
        raise NotPermitted(_("Only the medical director exports outcomes for research."))
