"""What the registration form hands to `register_patient`: typed and frozen (`to_input()`)."""

from dataclasses import dataclass
from datetime import date

from kapclinic.patients.models import Patient


@dataclass(frozen=True)
class PatientInput:
    """A new patient as intake staff type them in (the health number as typed)."""

    legal_given_name: str
    legal_family_name: str
    date_of_birth: date
    sex_at_birth: str
    preferred_name: str = ""
    gender: str = ""
    health_number_province: str = ""
    health_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    preferred_language: str = "en"
    emergency_contact_name: str = ""
    emergency_contact_relationship: str = ""
    emergency_contact_phone: str = ""

    def write_to(self, patient: Patient) -> None:
        patient.legal_given_name = self.legal_given_name
        patient.legal_family_name = self.legal_family_name
        patient.date_of_birth = self.date_of_birth
        patient.sex_at_birth = self.sex_at_birth
        patient.preferred_name = self.preferred_name
        patient.gender = self.gender
        patient.health_number_province = self.health_number_province
        patient.health_number = self.health_number
        patient.phone = self.phone
        patient.email = self.email
        patient.address = self.address
        patient.preferred_language = self.preferred_language
        patient.emergency_contact_name = self.emergency_contact_name
        patient.emergency_contact_relationship = self.emergency_contact_relationship
        patient.emergency_contact_phone = self.emergency_contact_phone
