"""What is observed around the dose: vital signs, adverse events, the therapist's note, and
the discharge with the criteria as they stood."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kapclinic.clinical.adverse_events import KIND_NAMES, SERIOUS_OUTCOME_NAMES, EventSeverity


class VitalSign(models.Model):
    session = models.ForeignKey(
        "dosing.DosingSession", on_delete=models.PROTECT, related_name="vitals"
    )
    # The baseline reading before the dose is checked against the pre-dose limits.
    baseline = models.BooleanField(default=False)
    taken_at = models.DateTimeField(_("taken at"))
    systolic = models.PositiveSmallIntegerField(_("systolic (mmHg)"))
    diastolic = models.PositiveSmallIntegerField(_("diastolic (mmHg)"))
    pulse = models.PositiveSmallIntegerField(_("pulse (per minute)"))
    spo2 = models.PositiveSmallIntegerField(_("SpO2 (%)"))
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (per minute)"), null=True, blank=True
    )
    # The alerts the reading raised, as clinical.vitals codes and sentences.
    alerts = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.systolic}/{self.diastolic} {self.pulse} {self.spo2}%"


# The names are clinical.adverse_events' (marked there for the catalogue), translated on display.
KIND_LABELS = {kind: _(name) for kind, name in KIND_NAMES.items()}
SERIOUS_OUTCOME_LABELS = {outcome: _(name) for outcome, name in SERIOUS_OUTCOME_NAMES.items()}
# A grade of the event's severity (French: agrees with "gravité", "Nausées — gravité : légère").
SEVERITY_LABELS = {
    EventSeverity.MILD: pgettext_lazy("adverse event severity", "Mild"),
    EventSeverity.MODERATE: pgettext_lazy("adverse event severity", "Moderate"),
    EventSeverity.SEVERE: pgettext_lazy("adverse event severity", "Severe"),
    EventSeverity.SERIOUS: pgettext_lazy("adverse event severity", "Serious or life-threatening"),
}


class AdverseEvent(models.Model):
    session = models.ForeignKey(
        "dosing.DosingSession", on_delete=models.PROTECT, related_name="adverse_events"
    )
    kind = models.CharField(
        _("event"), max_length=30, choices=[(k.value, v) for k, v in KIND_LABELS.items()]
    )
    severity = models.CharField(
        _("severity"), max_length=20, choices=[(k.value, v) for k, v in SEVERITY_LABELS.items()]
    )
    serious_outcomes = models.JSONField(default=list, blank=True)
    onset_at = models.DateTimeField(_("onset"))
    description = models.TextField(_("description"), blank=True)
    action = models.TextField(_("action taken"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    serious = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["onset_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.severity})"

    def serious_outcome_labels(self) -> list[str]:
        """The serious outcomes recorded, as words in the reader's language."""
        labels = {outcome.value: label for outcome, label in SERIOUS_OUTCOME_LABELS.items()}
        return [str(labels.get(outcome, outcome)) for outcome in self.serious_outcomes]


class SessionNote(models.Model):
    """The therapist's note; a later note adds to the earlier ones, never replaces them."""

    session = models.ForeignKey(
        "dosing.DosingSession", on_delete=models.PROTECT, related_name="notes"
    )
    intention = models.TextField(_("intention"), blank=True)
    experience = models.TextField(_("experience"), blank=True)
    observations = models.TextField(_("observations"), blank=True)
    # The setting used (music and eye shades, as in KAP sessions).
    music = models.BooleanField(_("music"), default=False)
    eye_shades = models.BooleanField(_("eye shades"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["written_at", "id"]

    def __str__(self) -> str:
        return f"note by {self.written_by} at {self.written_at:%Y-%m-%d %H:%M}"


class Discharge(models.Model):
    session = models.OneToOneField(
        "dosing.DosingSession", on_delete=models.PROTECT, related_name="discharge"
    )
    # Every criterion as it stood: [{"code", "met", "sentence"}, ...].
    criteria = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # Scheduled readings (minutes after the dose) not taken, and why the patient left anyway.
    missed_readings = models.JSONField(default=list, blank=True)
    missed_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"discharged at {self.at:%Y-%m-%d %H:%M}"
