"""A patient record is amended (history kept) or marked entered in error, never deleted."""

import unicodedata
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kapclinic.clinical.ages import age_on
from kapclinic.clinics.models import Province


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = "unknown", _("Unknown or not disclosed")


NAME_FIELDS = {"legal_given_name", "legal_family_name", "preferred_name"}


def fold(text: str) -> str:
    """Text as search compares it: accents removed, case folded, spaces single."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


class Patient(models.Model):
    clinic = models.ForeignKey(
        "clinics.Clinic",
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name=_("clinic"),
    )
    legal_given_name = models.CharField(_("legal given name"), max_length=100)
    legal_family_name = models.CharField(_("legal family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex_at_birth = models.CharField(_("sex at birth"), max_length=10, choices=Sex.choices)
    gender = models.CharField(_("gender"), max_length=60, blank=True)
    health_number_province = models.CharField(
        _("health number province"), max_length=2, choices=Province.choices, blank=True
    )
    # Stored normalised (no spaces, upper case) by patients.services.
    health_number = models.CharField(_("health number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=120, blank=True)
    emergency_contact_relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(_("emergency phone"), max_length=30, blank=True)
    # The patient's own portal login, once invited.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(default=timezone.now)
    entered_in_error = models.BooleanField(_("entered in error"), default=False)
    # The names folded for search (no accents, no case): "Hélène Bélanger" -> "helene belanger".
    # Kept by save(); a plain column, so search is the same on SQLite and PostgreSQL.
    search_key = models.CharField(max_length=320, blank=True, default="", editable=False)
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        ordering: ClassVar = ["legal_family_name", "legal_given_name", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["health_number_province", "health_number"],
                condition=~Q(health_number="") & Q(entered_in_error=False),
                name="patient_health_number_unique",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["legal_family_name", "legal_given_name"], name="patient_name"),
            models.Index(fields=["date_of_birth"], name="patient_dob"),
            models.Index(fields=["search_key"], name="patient_search_key"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = fold(
            f"{self.legal_given_name} {self.legal_family_name} {self.preferred_name}"
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & NAME_FIELDS:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name_of(self.preferred_name, self.legal_given_name, self.legal_family_name)

    @staticmethod
    def name_of(preferred: str, given: str, family: str) -> str:
        """The display name from the three columns (for plain-row reads)."""
        return f"{preferred or given} {family}"

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)


class CareRole(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    THERAPIST = "therapist", _("Therapist")
    COORDINATOR = "coordinator", _("Intake coordinator")
    REFERRER = "referrer", _("Referring professional")


class CareTeamMember(models.Model):
    """Who cares for a patient; therapists and referrers see only the patients listed here."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_assignments"
    )
    care_role = models.CharField(_("role in care"), max_length=20, choices=CareRole.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_active_care_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.care_role}) for {self.patient}"
