"""What the referral forms hand to the services: typed, frozen, one field per thing typed in.

The forms build these (`form.to_input()`), so mypy checks every field a service writes and a
renamed model field cannot slip through a splat of the cleaned data unnoticed.
"""

from dataclasses import dataclass
from datetime import date

from kapclinic.clinics.models import Condition
from kapclinic.referrals.models import Referral, Referrer


@dataclass(frozen=True)
class ReferralInput:
    """The person referred and why: what the e-referral, faxed and self-referral forms ask."""

    given_name: str
    family_name: str
    date_of_birth: date
    province: str
    phone: str
    condition: Condition
    reason: str
    health_number: str = ""
    email: str = ""
    preferred_language: str = "en"
    contraindications: tuple[str, ...] = ()
    contraindication_other: str = ""
    medications: str = ""
    history: str = ""
    community_support: str = ""
    patient_agreed: bool = False

    def write_to(self, referral: Referral) -> None:
        referral.given_name = self.given_name
        referral.family_name = self.family_name
        referral.date_of_birth = self.date_of_birth
        referral.province = self.province
        referral.health_number = self.health_number
        referral.phone = self.phone
        referral.email = self.email
        referral.preferred_language = self.preferred_language
        referral.condition = self.condition
        referral.reason = self.reason
        referral.contraindications = list(self.contraindications)
        referral.contraindication_other = self.contraindication_other
        referral.medications = self.medications
        referral.history = self.history
        referral.community_support = self.community_support
        referral.patient_agreed = self.patient_agreed


@dataclass(frozen=True)
class ReferrerInput:
    """A referring professional as their letterhead (or their registration) gives them."""

    full_name: str
    profession: str
    registration_number: str
    college: str
    practice_address: str
    phone: str
    email: str
    fax: str = ""

    def write_to(self, referrer: Referrer) -> None:
        referrer.full_name = self.full_name
        referrer.profession = self.profession
        referrer.registration_number = self.registration_number
        referrer.college = self.college
        referrer.practice_address = self.practice_address
        referrer.phone = self.phone
        referrer.fax = self.fax
        referrer.email = self.email
