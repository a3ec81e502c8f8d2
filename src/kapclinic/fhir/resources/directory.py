"""Practitioner <- staff users, Organization <- clinics, Location <- rooms: the directory a
client needs to resolve references. Staff of the clinics the reader works in (or all of them
for the whole network); no patient data."""

from typing import Any

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICIAN_ROLES, STAFF_ROLES, Role
from kapclinic.clinics.models import Clinic, Room
from kapclinic.fhir.resources.base import Reader, ResourceType, Source, ref, require_role

DIRECTORY_ROLES = STAFF_ROLES | {Role.REFERRER}


def _clinics(user: User) -> QuerySet[Clinic]:
    require_role(user, DIRECTORY_ROLES)
    if user.network_wide or user.role == Role.REFERRER:
        return Clinic.objects.all()
    return Clinic.objects.filter(pk__in=user.clinics.all())


def practitioner_rows(user: User) -> QuerySet[User]:
    require_role(user, STAFF_ROLES)
    staff = User.objects.filter(role__in=CLINICIAN_ROLES, is_active=True)
    if user.network_wide:
        return staff
    return staff.filter(clinics__in=user.clinics.all()).distinct()


def practitioner(user: User, reader: Reader) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "active": user.is_active,
        "name": [{"text": user.full_name}],
        "telecom": [{"system": "email", "value": user.email, "use": "work"}],
        "qualification": [{"code": {"text": str(Role(user.role).label)}}],
    }


def organization(clinic: Clinic, reader: Reader) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "active": True,
        "name": clinic.name,
        "telecom": [{"system": "phone", "value": clinic.phone}]
        + ([{"system": "fax", "value": clinic.fax}] if clinic.fax else []),
        "address": [
            {
                "line": [clinic.address],
                "city": clinic.city,
                "state": clinic.jurisdiction.province,
                "postalCode": clinic.postal_code,
                "country": "CA",
            }
        ],
    }


def location(room: Room, reader: Reader) -> dict[str, Any]:
    return {
        "resourceType": "Location",
        "status": "active",
        "name": f"{room.clinic.name} / {room.name}",
        "mode": "instance",
        "managingOrganization": ref("Organization", room.clinic_id),
    }


PRACTITIONER = ResourceType(
    "Practitioner", (Source(practitioner_rows, practitioner, updated="date_joined"),)
)
ORGANIZATION = ResourceType(
    "Organization", (Source(_clinics, organization, related=("jurisdiction",)),)
)
LOCATION = ResourceType(
    "Location",
    (
        Source(
            lambda user: Room.objects.filter(clinic__in=_clinics(user)),
            location,
            related=("clinic",),
        ),
    ),
)
