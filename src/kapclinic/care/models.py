"""Program templates are a medical director's data; an enrolment walks the journey, every
move stored with who and when; consents are records, given or withdrawn, never deleted."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.bilingual import in_language
from kapclinic.clinical.journey import STAGE_NAMES, Stage

# The stage names journey.py marks for translation (Premier contact, Préparation... in French).
STAGE_CHOICES = [(s.value, _(STAGE_NAMES[s].template)) for s in Stage]


class ProgramTemplate(models.Model):
    code = models.SlugField(unique=True)
    name_en = models.CharField(max_length=100)
    name_fr = models.CharField(max_length=100)
    min_weeks = models.PositiveSmallIntegerField()
    max_weeks = models.PositiveSmallIntegerField()
    preparation_sessions = models.PositiveSmallIntegerField()
    dosing_sessions = models.PositiveSmallIntegerField()
    integration_sessions = models.PositiveSmallIntegerField()
    requires_community_support = models.BooleanField(default=False)
    # Plan booking keeps at least this many days between two ketamine sessions.
    days_between_dosing = models.PositiveSmallIntegerField(default=7)
    # What the person reads about the program before joining (shown on the program page).
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(max_weeks__gte=models.F("min_weeks")),
                name="program_window_ordered",
                violation_error_message=_(
                    "The longest duration cannot be shorter than the shortest."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return in_language(self, "name", language)


class Enrolment(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="enrolments"
    )
    program = models.ForeignKey(
        ProgramTemplate, on_delete=models.PROTECT, related_name="enrolments"
    )
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.CONNECT.value)
    supporter_name = models.CharField(_("community supporter"), max_length=120, blank=True)
    supporter_contact = models.CharField(_("supporter's contact"), max_length=120, blank=True)
    preparation_done_at = models.DateTimeField(null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    # The finished cycle this one continues (further treatment booked at Reconnect, care.cycles);
    # null for a first program.
    previous_cycle = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_cycle"
    )

    def __str__(self) -> str:
        return f"{self.patient} in {self.program}"

    @property
    def is_reconnect(self) -> bool:
        return self.stage == Stage.RECONNECT


class JourneyTransition(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    to_stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} -> {self.to_stage}"


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    RECORDING = "recording", _("Recording of dosing sessions")
    SHARE_WITH_REFERRER = "share_with_referrer", _("Sharing with the referring professional")
    RESEARCH = "research", _("Use of de-identified outcomes for research")


class Consent(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consents"
    )
    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    text_version = models.CharField(_("consent text version"), max_length=40)
    signed_name = models.CharField(_("signed name"), max_length=200)
    document = models.FileField(upload_to="consents/%Y/%m/", blank=True)
    given_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.kind} consent of {self.patient}"

    @property
    def in_portal(self) -> bool:
        """Signed by the patient in the portal (recorded by their own account)."""
        return self.recorded_by.role == "patient"

    @property
    def provenance(self) -> str:
        """How the consent was given, in words: the portal, a signed document, or staff's word."""
        if self.in_portal:
            return str(_("Signed by the patient in the portal"))
        if self.document:
            return str(_("Signed document recorded by staff"))
        return str(_("Recorded by staff without a signed document"))


class ConsentText(models.Model):
    """The wording a person consents to, versioned: a consent records which version was signed."""

    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    version = models.CharField(max_length=40)
    body_en = models.TextField()
    body_fr = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["kind", "-published_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_text_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.version})"

    def body(self, language: str | None = None) -> str:
        return in_language(self, "body", language)


class MaterialKind(models.TextChoices):
    READING = "reading", _("Reading")
    TRAINING = "training", _("Training")


class Material(models.Model):
    """Preparation material or training a person goes through before the first ketamine session."""

    code = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=MaterialKind.choices)
    title_en = models.CharField(max_length=200)
    title_fr = models.CharField(max_length=200)
    body_en = models.TextField()
    body_fr = models.TextField()
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return in_language(self, "title", language)

    def body(self, language: str | None = None) -> str:
        return in_language(self, "body", language)


class MaterialAssignment(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="materials")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    read_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["material__kind", "material__code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["enrolment", "material"], name="material_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.material} for {self.enrolment}"
