"""The demo clinic network: two clinics, every role at each, 30 synthetic patients.

Idempotent: every row is found by its natural key before it is created, so a second
run adds nothing. Synthetic data only: names are generated, health numbers are made
to pass the provincial format checks but belong to nobody.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import STAFF_ROLES, Role
from kapclinic.clinical.health_numbers import InvalidHealthNumber, validate_health_number
from kapclinic.clinics.models import Clinic, Condition, Jurisdiction, Room
from kapclinic.demo.billing import seed_billing
from kapclinic.demo.dosing import seed_dosing
from kapclinic.demo.groups import reconnect_members, seed_groups
from kapclinic.demo.outcomes import seed_outcomes
from kapclinic.demo.register import seed_register
from kapclinic.demo.research import research_patients, seed_research
from kapclinic.demo.scheduling import seed_scheduling
from kapclinic.demo.sharedcare import seed_shared_care, shared_care_patient
from kapclinic.patients.models import CareRole, CareTeamMember, Patient, Sex
from kapclinic.referrals.models import Channel, Referral, Referrer, Status
from kapclinic.referrals.self_referral import open_intake_slots

DEMO_PASSWORD = "kapclinic-demo"  # noqa: S105 (documented in the README; demo only)
PATIENTS_PER_CLINIC = 15


@dataclass(frozen=True)
class DemoClinic:
    key: str
    name: str
    province: str
    time_zone: str
    address: str
    city: str
    postal_code: str
    phone: str
    fax: str
    language: str
    # The emergency contact's relationship, as this clinic's staff would type it.
    partner: str
    # The name an older demo database has the clinic under (renamed in place).
    former_name: str = ""


CLINICS = (
    DemoClinic(
        "mtl",
        "Clinique KAP Montréal",
        "QC",
        "America/Toronto",
        "1200 rue Peel",
        "Montréal",
        "H3B 2T6",
        "514-555-0100",
        "514-555-0101",
        "fr",
        "conjoint(e)",
    ),
    DemoClinic(
        "van",
        "KAP Vancouver",
        "BC",
        "America/Vancouver",
        "800 West Broadway",
        "Vancouver",
        "V5Z 1J8",
        "604-555-0100",
        "604-555-0101",
        "en",
        "partner",
        former_name="KAP Clinic Vancouver",
    ),
)
GIVEN = [
    "Camille",
    "Étienne",
    "Sophie",
    "Mathieu",
    "Chloé",
    "Olivier",
    "Amélie",
    "Gabriel",
    "Ava",
    "Liam",
    "Noah",
    "Emma",
    "Priya",
    "Wei",
    "Maya",
    "Lucas",
    "Zoé",
    "Hugo",
]
FAMILY = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Smith",
    "Brown",
    "Wilson",
    "Singh",
    "Chen",
    "Nguyen",
    "MacDonald",
    "Fraser",
]


def _user(email: str, **fields: object) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return user


# Room names read the same in English and French; the first name is an older demo's.
ROOMS = (
    ("Salle 1 / Room 1", "Horizon", True),
    ("Salle 2 / Room 2", "Cascade", True),
    ("Consult", "Studio", False),
)
# Staff are people with names; the role is shown beside the name, in the reader's language.
STAFF_NAMES = {
    "mtl": ["Claire Lavoie", "Julien Bergeron", "Nadia Haddad", "Marc Pelletier", "Isabelle Roy",
            "Samuel Côté", "Léa Fortin", "Antoine Girard", "Sarah Dubé", "Thomas Caron"],
    "van": ["Grace Kim", "Daniel Murphy", "Anita Sharma", "Ryan Campbell", "Hannah Lee",
            "Jacob Thompson", "Olivia Martin", "Ethan Wong", "Megan Clarke", "Arjun Patel"],
}  # fmt: skip


def _clinic(spec: DemoClinic) -> Clinic:
    if spec.former_name and not Clinic.objects.filter(name=spec.name).exists():
        Clinic.objects.filter(name=spec.former_name).update(name=spec.name)
    clinic, _ = Clinic.objects.get_or_create(
        name=spec.name,
        defaults={
            "jurisdiction": Jurisdiction.objects.get(province=spec.province),
            "time_zone": spec.time_zone,
            "address": spec.address,
            "city": spec.city,
            "postal_code": spec.postal_code,
            "phone": spec.phone,
            "fax": spec.fax,
        },
    )
    for former, room, dosing in ROOMS:
        if not clinic.rooms.filter(name=room).exists():
            clinic.rooms.filter(name=former).update(name=room)
        Room.objects.get_or_create(clinic=clinic, name=room, defaults={"dosing_capable": dosing})
    return clinic


def _staff(spec: DemoClinic, clinic: Clinic) -> dict[Role, User]:
    staff = {}
    for n, role in enumerate(sorted(STAFF_ROLES | {Role.REFERRER})):
        director = role == Role.PHYSICIAN and spec.key == "mtl"
        network = director or (role == Role.PRIVACY_OFFICER and spec.key == "mtl")
        user = _user(
            f"{role.value.replace('_', '-')}.{spec.key}@demo.kapclinic.test",
            full_name=STAFF_NAMES[spec.key][n],
            role=role,
            language=spec.language,
            is_medical_director=director,
            network_wide=network,
            mfa_exempt=True,
        )
        if user.full_name == f"{role.label} ({spec.city})":  # an older demo's English name
            user.full_name = STAFF_NAMES[spec.key][n]
            user.save(update_fields=["full_name"])
        if role != Role.REFERRER:
            user.clinics.add(clinic)
        staff[role] = user
    return staff


def health_number(province: str, family: str, given: str, born: date, sex: str, n: int) -> str:
    """A synthetic number that passes the province's format check."""
    if province == "QC":
        month = born.month + (50 if sex == Sex.FEMALE else 0)
        letters = (family.upper().replace("Ô", "O").replace("É", "E") + "XXX")[:3] + given[0]
        stem = f"{letters.upper()}{born:%y}{month:02d}{born:%d}"
        return validate_health_number(province, f"{stem}{n % 100:02d}")
    # Some 9-digit stems have no valid mod-11 check digit: try the next stem.
    for base in range(n, n + 100):
        for check in range(10):
            try:
                return validate_health_number(province, f"9{base:08d}{check}")
            except InvalidHealthNumber:
                continue
    raise InvalidHealthNumber(f"no valid PHN near {n}")


def _patients(
    spec: DemoClinic, clinic: Clinic, staff: dict[Role, User], rng: random.Random
) -> None:
    for n in range(PATIENTS_PER_CLINIC):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        born = date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.INTERSEX])
        number = health_number(spec.province, family, given, born, sex, 4217 + n * 37)
        patient, created = Patient.objects.get_or_create(
            health_number_province=spec.province,
            health_number=number,
            defaults={
                "clinic": clinic,
                "legal_given_name": given,
                "legal_family_name": family,
                "date_of_birth": born,
                "sex_at_birth": sex,
                "preferred_language": spec.language,
                "phone": f"{spec.phone[:7]}{1000 + n:04d}",
                "email": f"patient{n}.{spec.key}@example.test",
                "emergency_contact_name": f"{rng.choice(GIVEN)} {family}",
                "emergency_contact_relationship": spec.partner,
                "emergency_contact_phone": f"{spec.phone[:7]}{2000 + n:04d}",
            },
        )
        if created and n % 2 == 0:
            CareTeamMember.objects.create(
                patient=patient, user=staff[Role.THERAPIST], care_role=CareRole.THERAPIST
            )
        if created and n % 3 == 0:
            CareTeamMember.objects.create(
                patient=patient, user=staff[Role.REFERRER], care_role=CareRole.REFERRER
            )


def _referrals(spec: DemoClinic, clinic: Clinic, referrer_user: User, rng: random.Random) -> None:
    """Eight weeks of received referrals, most contacted in time, some late, a few still open."""
    referrer, _ = Referrer.objects.get_or_create(
        user=referrer_user,
        defaults={
            "full_name": referrer_user.full_name,
            "profession": "gp",
            "registration_number": f"DEMO-{spec.key}",
            "college": "CMQ" if spec.province == "QC" else "CPSBC",
            "practice_address": f"{spec.address}, {spec.city}",
            "phone": spec.phone,
            "email": referrer_user.email,
            "verified_at": timezone.now(),
        },
    )
    depression = Condition.objects.get(code="depression")
    now = timezone.now()
    # The first four still wait for a call (one already overdue); the rest are history.
    waiting = [2, 9, 20, 27]
    for n in range(24):
        received = now - timedelta(hours=waiting[n] if n < 4 else rng.randint(30, 8 * 7 * 24))
        delay = 10_000 if n < 4 else rng.choice([2, 3, 5, 8, 12, 20, 23, 30, 40])
        contacted = (
            received + timedelta(hours=delay) if received + timedelta(hours=delay) < now else None
        )
        Referral.objects.get_or_create(
            number=f"D{spec.key.upper()}-{n:04d}",
            defaults={
                "clinic": clinic,
                "referrer": referrer,
                "channel": Channel.PORTAL,
                "status": Status.CONTACTED if contacted else Status.RECEIVED,
                "given_name": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "date_of_birth": date(
                    rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "province": spec.province,
                "phone": spec.phone,
                "condition": depression,
                "reason": "Synthetic demo referral.",
                "patient_agreed": True,
                "received_at": received,
                "contact_due_at": received + timedelta(hours=24),
                "first_contact_at": contacted,
            },
        )


def _intake_times(clinic: Clinic, coordinator: User) -> None:
    """The coordinator offers 10:00-12:00 on the next ten weekdays for intake calls."""
    day = timezone.localdate(timezone=clinic.tzinfo)
    offered = 0
    while offered < 10:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, time(10), tzinfo=clinic.tzinfo)
        open_intake_slots(
            by=coordinator, clinic=clinic, starts=start, ends=start + timedelta(hours=2)
        )
        offered += 1


@transaction.atomic
def seed_demo() -> list[User]:
    """Create the demo network if missing; returns the demo accounts."""
    rng = random.Random(2026)  # noqa: S311 (synthetic data, not security)
    accounts: list[User] = []
    for spec in CLINICS:
        clinic = _clinic(spec)
        staff = _staff(spec, clinic)
        _patients(spec, clinic, staff, rng)
        _referrals(spec, clinic, staff[Role.REFERRER], rng)
        _intake_times(clinic, staff[Role.INTAKE])
        seed_register(spec.key, clinic, staff[Role.CLINIC_ADMIN])
        accounts.extend(staff.values())
        portal_user = seed_scheduling(spec.key, clinic, staff)
        if portal_user is not None:
            accounts.append(portal_user)
        seed_dosing(clinic, staff)
        seed_outcomes(clinic, staff)
        seed_billing(clinic, staff, portal_user)
        seed_shared_care(clinic, staff)
        seed_groups(clinic, staff)
        seed_research(clinic, staff)
    return accounts


def showcase() -> list[tuple[str, str, list[Patient]]]:
    """The demo patients to open for the flows the demo sets up: (clinic, what, patients)."""
    shown = []
    for clinic in Clinic.objects.filter(name__in=[spec.name for spec in CLINICS]).order_by("name"):
        sharing = shared_care_patient(clinic)
        shown += [
            (
                clinic.name,
                "consented to share: letters to the referrer (physician drafts, referrer reads)",
                [sharing] if sharing else [],
            ),
            (
                clinic.name,
                "Reconnect stage, in the integration group (Groups)",
                reconnect_members(clinic),
            ),
            (
                clinic.name,
                "research consent (Outcomes, research export, medical director)",
                research_patients(clinic),
            ),
        ]
    return shown
