"""The main menu: each entry names the roles that see it (the same groups the URLs declare)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.roles import AUDIT_ROLES, CHART_ROLES, CLINICAL_ROLES, Role
from kapclinic.billing.access import BILLING_ROLES
from kapclinic.dosing.access import SESSION_ROLES
from kapclinic.groups.access import GROUP_ROLES
from kapclinic.recordings.access import PLAYBACK_ROLES
from kapclinic.referrals.access import INTAKE_ROLES
from kapclinic.register.access import REGISTER_ROLES
from kapclinic.scheduling.access import CALENDAR_ROLES, WEEK_ROLES


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: str
    roles: frozenset[Role]


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("Intake queue"), "referrals:queue", INTAKE_ROLES),
    MenuEntry(_("Intake call times"), "referrals:availability", frozenset({Role.INTAKE})),
    MenuEntry(_("My referrals"), "referrals:portal", frozenset({Role.REFERRER})),
    MenuEntry(_("Letters"), "sharedcare:referrer_letters", frozenset({Role.REFERRER})),
    MenuEntry(_("My care"), "portal:home", frozenset({Role.PATIENT})),
    MenuEntry(_("My tasks"), "screening:tasks", CLINICAL_ROLES),
    MenuEntry(_("Patients"), "patients:search", CHART_ROLES),
    MenuEntry(_("Week"), "scheduling:my_week", WEEK_ROLES),
    MenuEntry(_("Today's sessions"), "dosing:today", SESSION_ROLES),
    MenuEntry(_("Recordings"), "recordings:index", PLAYBACK_ROLES),
    MenuEntry(_("Recording requests"), "recordings:requests", frozenset({Role.PRIVACY_OFFICER})),
    MenuEntry(_("My recordings"), "recordings:mine", frozenset({Role.PATIENT})),
    MenuEntry(_("My receipts"), "portal:receipts", frozenset({Role.PATIENT})),
    MenuEntry(_("Integration groups"), "groups:index", GROUP_ROLES),
    MenuEntry(_("My calendar"), "scheduling:my_calendar", CALENDAR_ROLES),
    MenuEntry(_("Programs"), "care:programs", frozenset({Role.PHYSICIAN})),
    MenuEntry(_("Outcomes"), "outcomes:dashboards", frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN})),
    MenuEntry(_("Staff"), "accounts:staff", frozenset({Role.CLINIC_ADMIN})),
    MenuEntry(_("Referrers"), "referrals:referrers", frozenset({Role.CLINIC_ADMIN})),
    MenuEntry(_("Contact promise"), "referrals:sla", frozenset({Role.CLINIC_ADMIN})),
    MenuEntry(_("Controlled substances"), "register:index", REGISTER_ROLES),
    MenuEntry(_("Billing"), "billing:index", BILLING_ROLES),
    MenuEntry(_("Audit"), "audit:search", AUDIT_ROLES),
)


def menu_for(role: str) -> list[MenuEntry]:
    return [entry for entry in MENU if role in entry.roles]
