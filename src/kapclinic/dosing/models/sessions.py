"""One patient's ketamine session: its state, the facts checked before the dose, the dose."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.dosing import FINAL_STATES, SessionState
from kapclinic.clinical.pre_dose import PregnancyAttestation as Attestation
from kapclinic.dosing.models.orders import ROUTE_CHOICES

STATE_LABELS = {
    SessionState.SCHEDULED: _("Scheduled"),
    SessionState.CHECKED_IN: _("Checked in"),
    SessionState.PRE_DOSE_CHECKS: _("Pre-dose checks"),
    SessionState.CLEARED_TO_DOSE: _("Cleared to dose"),
    SessionState.DOSED: _("Dosed"),
    SessionState.MONITORING: _("Monitoring"),
    SessionState.DISCHARGED: _("Discharged"),
    SessionState.STOPPED: _("Stopped"),
}
STATE_CHOICES = [(state.value, label) for state, label in STATE_LABELS.items()]


class PregnancyAttestation(models.TextChoices):
    NOT_ATTESTED = Attestation.NOT_ATTESTED.value, _("Not attested")
    NOT_PREGNANT = Attestation.NOT_PREGNANT.value, _("Attests not being pregnant")
    PREGNANT = Attestation.PREGNANT.value, _("Attests being pregnant")


class DosingSession(models.Model):
    attendance = models.OneToOneField(
        "scheduling.Attendance", on_delete=models.PROTECT, related_name="dosing_session"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="dosing_sessions"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        "care.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=SessionState.SCHEDULED)
    # The route planned at check-in (the order's), so that a later order by another route shows.
    route = models.CharField(_("route"), max_length=20, choices=ROUTE_CHOICES, blank=True)
    # The order the dose was cleared under.
    order = models.ForeignKey(
        "dosing.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    fasted_as_instructed = models.BooleanField(_("fasted as instructed"), default=False)
    ride_home_arranged = models.BooleanField(_("ride home arranged"), default=False)
    pregnancy_attestation = models.CharField(
        _("pregnancy status"),
        max_length=20,
        choices=PregnancyAttestation.choices,
        default=PregnancyAttestation.NOT_ATTESTED,
    )
    # What stands in for recording when the patient does not consent to it.
    alternative_safeguard = models.TextField(_("alternative safeguard"), blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["attendance__starts_at", "id"]

    def __str__(self) -> str:
        return f"ketamine session of {self.patient} ({self.state})"

    # What the session screen shows depends on the state; it asks these, not for state names.
    @property
    def has_started(self) -> bool:
        return self.state != SessionState.SCHEDULED

    @property
    def awaits_clearance(self) -> bool:
        """Checked in, pre-dose checks under way: the checklist and its form are shown."""
        return self.state in (SessionState.CHECKED_IN, SessionState.PRE_DOSE_CHECKS)

    @property
    def is_pre_dose_checks(self) -> bool:
        return self.state == SessionState.PRE_DOSE_CHECKS

    @property
    def is_cleared_to_dose(self) -> bool:
        return self.state == SessionState.CLEARED_TO_DOSE

    @property
    def is_after_dose(self) -> bool:
        """Dosed or monitoring: vital signs are taken."""
        return self.state in (SessionState.DOSED, SessionState.MONITORING)

    @property
    def is_monitoring(self) -> bool:
        return self.state == SessionState.MONITORING

    @property
    def is_over(self) -> bool:
        return self.state in FINAL_STATES


class SessionTransition(models.Model):
    session = models.ForeignKey(DosingSession, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    to_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class Administration(models.Model):
    """The dose as given; its register entry is written in the same transaction."""

    session = models.OneToOneField(
        DosingSession, on_delete=models.PROTECT, related_name="administration"
    )
    given_at = models.DateTimeField(_("given at"))
    # Whole mg, as the register counts them (clinical.ledger).
    dose_mg = models.PositiveIntegerField(_("dose (mg)"))
    # Whole tablets or sprays of the lot's product that make dose_mg (empty before units).
    units = models.PositiveIntegerField(_("units (tablets or sprays)"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=20, choices=ROUTE_CHOICES)
    lot = models.ForeignKey("register.Lot", on_delete=models.PROTECT, related_name="+")
    ledger_entry = models.OneToOneField(
        "register.LedgerEntry", on_delete=models.PROTECT, related_name="administration"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(dose_mg__gt=0), name="administration_dose_positive")
        ]

    def __str__(self) -> str:
        return f"{self.dose_mg} mg at {self.given_at:%Y-%m-%d %H:%M}"
