"""Patient <- patients.Patient. Elements follow the chart's field rules (patients.access)."""

from typing import Any

from django.db.models import Q, QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CHART_ROLES, Role
from kapclinic.clinical.health_numbers import compact
from kapclinic.fhir.params import Token
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    IdentifierSearch,
    Reader,
    ResourceType,
    Source,
    day,
    last_change,
    newest,
    ref,
    require_role,
)
from kapclinic.patients.access import visible_patients
from kapclinic.patients.models import Patient, Sex

# Provincial health-insurance numbers (no HL7 Canada NamingSystem URI is published for them
# in R4 that we rely on here; these are kapclinic's own stable systems).
HEALTH_NUMBER_SYSTEM = {
    "QC": "https://kapclinic.example/fhir/NamingSystem/ramq",
    "BC": "https://kapclinic.example/fhir/NamingSystem/bc-phn",
}
# FHIR administrative-gender (http://hl7.org/fhir/R4/valueset-administrative-gender.html):
# sex at birth is what we store; intersex has no code of its own there, so "other".
ADMINISTRATIVE_GENDER = {
    Sex.FEMALE: "female",
    Sex.MALE: "male",
    Sex.INTERSEX: "other",
    Sex.UNKNOWN: "unknown",
}


def patient_rows(user: User) -> QuerySet[Patient]:
    """The charts' readers, a patient (their own record), and a referring professional: for
    them visible_patients holds only the patients their referrals were linked to (they join
    the care team as its referrer when their referral is, if they are verified)."""
    require_role(user, CHART_ROLES | {Role.PATIENT, Role.REFERRER})
    return visible_patients(user)


def health_number_matching(token: Token) -> Q:
    """Patients whose Patient.identifier matches the token: the value normalised as the
    health numbers are stored (patients.services: no spaces or dashes, upper case); without
    a system, a number of either province (FHIR token search: any system)."""
    if token.system is None:
        provinces = Q()
    elif token.system:
        chosen = [p for p, system in HEALTH_NUMBER_SYSTEM.items() if system == token.system]
        provinces = Q(health_number_province__in=chosen)
    else:  # "|value": an identifier written with no system (a province without one)
        provinces = ~Q(health_number_province__in=list(HEALTH_NUMBER_SYSTEM))
    number = compact(token.code)
    if token.code and not number:  # only spaces or dashes: no number at all
        return Q(pk__in=[])
    return provinces & (Q(health_number=number) if number else ~Q(health_number=""))


# The columns to_fhir reads (a plain row, see Source.values).
COLUMNS = (
    "legal_family_name",
    "legal_given_name",
    "preferred_name",
    "entered_in_error",
    "date_of_birth",
    "clinic_id",
    "preferred_language",
    "health_number",
    "health_number_province",
    "phone",
    "email",
    "address",
    "sex_at_birth",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
)


def to_fhir(patient: dict[str, Any], reader: Reader) -> dict[str, Any]:
    names = [
        {
            "use": "official",
            "family": patient["legal_family_name"],
            "given": [patient["legal_given_name"]],
        }
    ]
    if patient["preferred_name"]:
        names.append({"use": "usual", "given": [patient["preferred_name"]]})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "active": not patient["entered_in_error"],
        "name": names,
        "birthDate": day(patient["date_of_birth"]),
        "managingOrganization": ref("Organization", patient["clinic_id"]),
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": patient["preferred_language"]}]
                },
                "preferred": True,
            }
        ],
    }
    if reader.may_read("health_number") and patient["health_number"]:
        system = HEALTH_NUMBER_SYSTEM.get(patient["health_number_province"], "")
        resource["identifier"] = [{"system": system, "value": patient["health_number"]}]
    if reader.may_read("phone"):
        phone, email, address = patient["phone"], patient["email"], patient["address"]
        telecom = [{"system": "phone", "value": phone}] if phone else []
        if email:
            telecom.append({"system": "email", "value": email})
        resource["telecom"] = telecom or None
        resource["address"] = [{"text": address}] if address else None
    if reader.may_read("sex_and_gender"):
        resource["gender"] = ADMINISTRATIVE_GENDER[Sex(patient["sex_at_birth"])]
    if reader.may_read("emergency_contact") and patient["emergency_contact_name"]:
        contact_phone = patient["emergency_contact_phone"]
        resource["contact"] = [
            {
                "relationship": [{"text": patient["emergency_contact_relationship"] or None}],
                "name": {"text": patient["emergency_contact_name"]},
                "telecom": [{"system": "phone", "value": contact_phone}] if contact_phone else None,
            }
        ]
    return resource


PATIENT = ResourceType(
    "Patient",
    (
        Source(
            patient_rows,
            to_fhir,
            patient="pk",
            # Every amendment is a row of the record's history (simple_history).
            updated=LAST_CHANGE,
            annotations=last_change(
                "created_at",
                newest(lambda: Patient.history.model.objects.all(), "history_date", "id"),
            ),
            values=COLUMNS,
            identifier=IdentifierSearch(health_number_matching, part="health_number"),
        ),
    ),
)
