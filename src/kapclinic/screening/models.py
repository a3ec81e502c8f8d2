"""Questionnaire responses, what is assigned to a patient, links to answer them, and the
safety flags and tasks a response can raise. Responses are never edited: a wrong one is
marked entered in error and answered again."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

INSTRUMENT_CHOICES = [
    ("PHQ-9", "PHQ-9"),
    ("GAD-7", "GAD-7"),
    ("PCL-5", "PCL-5"),
    ("AUDIT", "AUDIT"),
    ("DUDIT", "DUDIT"),
]


class Source(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    LINK = "link", _("Patient, by a single-use link")
    PORTAL = "portal", _("Patient, in the portal")


class QuestionnaireResponse(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="responses"
    )
    instrument = models.CharField(max_length=10, choices=INSTRUMENT_CHOICES)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    flags = models.JSONField(default=list)
    language = models.CharField(max_length=5, default="en")
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    entered_in_error = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} ({self.band})"


class Assignment(models.Model):
    """A questionnaire the patient still has to answer, until a response completes it."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="assignments"
    )
    instrument = models.CharField(max_length=10, choices=INSTRUMENT_CHOICES)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    response = models.OneToOneField(
        QuestionnaireResponse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignment",
    )

    class Meta:
        ordering: ClassVar = ["assigned_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["patient", "instrument"],
                condition=Q(response__isnull=True),
                name="one_open_assignment_per_instrument",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.patient}"


class AccessLink(models.Model):
    """A single-use link to answer the assigned questionnaires; only its hash is stored."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="access_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"link for {self.patient} until {self.expires_at:%Y-%m-%d %H:%M}"

    def usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at


class SafetyFlag(models.Model):
    """Raised by a response (PHQ-9 item 9 above 0); on the chart until a clinician reviews it."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="safety_flags"
    )
    kind = models.CharField(max_length=40)
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.patient}"


class Task(models.Model):
    """Work someone must do about a patient; urgent ones head every list."""

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="tasks")
    safety_flag = models.ForeignKey(
        SafetyFlag, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(max_length=200)  # in English, for logs and the admin
    # What the title says, kept as phrases so each reader reads it in their language (said.py).
    wording = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-urgent", "created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def said(self) -> dict[str, Any]:
        """For `{{ task.said|said }}`: the reader's language (older rows: the English title)."""
        return self.wording or {"sentence": self.title}


class Screening(models.Model):
    """What the clinic learns before deciding: amended as answers come, history kept."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="screenings"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    indication = models.ForeignKey(
        "clinics.Condition", on_delete=models.PROTECT, verbose_name=_("indication")
    )
    # The signed screening this one re-screens (a condition since managed); null for the first.
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rescreening"
    )
    pregnant = models.BooleanField(_("pregnant"), default=False)
    nursing = models.BooleanField(_("nursing"), default=False)
    history = models.JSONField(_("medical history"), default=list, blank=True)
    psychiatric_history = models.TextField(_("medical and psychiatric history"), blank=True)
    medications = models.TextField(_("current medications"), blank=True)
    substance_use = models.TextField(_("substance use"), blank=True)
    systolic = models.PositiveSmallIntegerField(_("systolic (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic (mmHg)"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse (bpm)"), null=True, blank=True)
    failed_antidepressant_trials = models.PositiveSmallIntegerField(
        _("failed adequate antidepressant trials"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history_log = HistoricalRecords()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"screening of {self.patient}"


class Decision(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    ELIGIBLE_ONCE_MANAGED = "eligible_once_managed", _("Eligible once a condition is managed")


class Determination(models.Model):
    """The physician's signed decision, with the findings it was signed against."""

    screening = models.OneToOneField(
        Screening, on_delete=models.PROTECT, related_name="determination"
    )
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices)
    justification = models.TextField(_("justification"), blank=True)
    outcome = models.CharField(max_length=20)
    findings = models.JSONField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.decision} by {self.signed_by}"
