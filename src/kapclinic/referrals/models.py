"""A referral is received, contacted within 24 hours, and followed to a decision.

Nothing here is deleted: a referral ends declined, withdrawn or unable to contact,
and every status change is kept (ReferralStatusChange) for the referrer to see.
"""

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.clinics.models import Province


class Profession(models.TextChoices):
    GP = "gp", _("Family physician")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    THERAPIST = "therapist", _("Therapist or counsellor")
    NURSE_PRACTITIONER = "nurse_practitioner", _("Nurse practitioner")
    OTHER = "other", _("Other")


class Referrer(models.Model):
    """A referring professional; trusted as such once a clinic admin verifies them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrer",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    registration_number = models.CharField(_("registration number"), max_length=40)
    college = models.CharField(_("professional college"), max_length=120)
    practice_address = models.CharField(_("practice address"), max_length=250)
    phone = models.CharField(_("phone"), max_length=30)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_profession_display()})"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Channel(models.TextChoices):
    PORTAL = "portal", _("Referrer portal")
    FAX = "fax", _("Fax")
    SELF = "self", _("Self-referral")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    CONTACTED = "contacted", _("Contacted")
    SCREENING_BOOKED = "screening_booked", _("Screening booked")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact")
    INTEREST_LIST = "interest_list", _("Interest list (condition under development)")
    ON_HOLD = "on_hold", _("Eligible once a condition is managed (on hold)")


# Statuses in which the 24-hour contact clock runs.
AWAITING_CONTACT = (Status.RECEIVED,)


class Contraindication(models.TextChoices):
    """The checklist of the paper referral form."""

    PSYCHOSIS = "psychosis", _("History of psychosis")
    MANIA = "mania", _("History of mania")
    HYPERTENSION = "untreated_hypertension", _("Untreated hypertension")
    HEART_OR_STROKE = "heart_disease_or_stroke", _("Heart disease or stroke")
    SEIZURES = "seizures", _("Seizures")
    LIVER = "severe_liver_disease", _("Severe liver disease")
    THYROID = "untreated_thyroid_disease", _("Untreated thyroid disease")
    PREGNANCY = "pregnant_or_nursing", _("Pregnant or nursing")
    OTHER = "other", _("Other")


class Referral(models.Model):
    number = models.CharField(_("referral number"), max_length=20, unique=True, null=True)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        Referrer, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(blank=True)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # An existing record that may be this person, waiting for intake staff to reconcile it
    # (link to it, or make a new record): set when linking automatically was not safe.
    proposed_patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed existing record"),
    )
    # The patient as the referrer described them.
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    health_number = models.CharField(_("health number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    condition = models.ForeignKey(
        "clinics.Condition", on_delete=models.PROTECT, verbose_name=_("condition")
    )
    reason = models.TextField(_("reason for referral"))
    contraindications = models.JSONField(_("contraindications"), default=list, blank=True)
    contraindication_other = models.CharField(
        _("other contraindication"), max_length=200, blank=True
    )
    medications = models.TextField(_("current medications"), blank=True)
    history = models.TextField(_("relevant history"), blank=True)
    community_support = models.TextField(_("existing community support"), blank=True)
    patient_agreed = models.BooleanField(_("the patient agreed to be referred"), default=False)
    fax_document = models.FileField(upload_to="referrals/fax/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    # Shown in the queue, never used to drop a referral (under the minimum age, pregnant...).
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["contact_due_at", "id"]
        indexes: ClassVar = [
            models.Index(fields=["clinic", "status", "contact_due_at"], name="referral_queue")
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def time_left(self, now: datetime | None = None) -> float | None:
        """Seconds until the contact promise is due (negative when overdue)."""
        if self.contact_due_at is None or self.first_contact_at is not None:
            return None
        return (self.contact_due_at - (now or timezone.now())).total_seconds()

    @property
    def contacted_in_time(self) -> bool | None:
        if self.first_contact_at is None or self.contact_due_at is None:
            return None
        return self.first_contact_at <= self.contact_due_at


class ReferralAttachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="referrals/attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached the person")
    VOICEMAIL = "voicemail", _("Left a message")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number or address")
    SENT = "sent", _("Message sent, no reply yet")


class ContactAttempt(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attempts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(_("method"), max_length=10, choices=ContactMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.method} {self.outcome}"

    @property
    def successful(self) -> bool:
        return self.outcome == ContactOutcome.REACHED


class ReferralStatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_status} -> {self.to_status}"


class IntakeSlot(models.Model):
    """Half an hour a coordinator keeps for a first call; at most one referral books it."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="intake_slots"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_slots"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="intake_slot"
    )

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["coordinator", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} {self.starts_at:%Y-%m-%d %H:%M}"
