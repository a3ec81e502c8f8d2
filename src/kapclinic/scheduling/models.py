"""Appointments: who (a clinician, the patients), where (a room) and when, never twice.

An Appointment holds a room and a lead clinician for a period; each patient in it has an
Attendance carrying the same period, so that one database constraint per resource (room,
clinician, patient) refuses any overlap among booked ones on PostgreSQL (migration 0003).
Nothing is deleted: a cancellation keeps the row with its reason, a reschedule points back.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from kapclinic.accounts.roles import Role
from kapclinic.bilingual import in_language


class AppointmentKind(models.TextChoices):
    MEDICAL_SCREENING = "medical_screening", _("Medical screening")
    PREPARATION = "preparation", _("Preparation session")
    DOSING = "dosing", _("Ketamine session")
    INTEGRATION = "integration", _("Integration session")
    INTEGRATION_GROUP = "integration_group", _("Integration group")


# No appointment lasts longer than a day (a dosing session is hours): the week view can then
# bound its query below by its start (scheduling.selectors.week) instead of reading every
# appointment the clinic ever had.
LONGEST_APPOINTMENT_MINUTES = 24 * 60


class AppointmentType(models.Model):
    """What an appointment needs: a medical director's data (seeded by migration 0002)."""

    code = models.SlugField(unique=True)
    kind = models.CharField(max_length=30, choices=AppointmentKind.choices)
    name_en = models.CharField(max_length=100)
    name_fr = models.CharField(max_length=100)
    duration_minutes = models.PositiveSmallIntegerField()
    lead_role = models.CharField(max_length=20, choices=Role.choices)
    needs_dosing_room = models.BooleanField(default=False)
    # A physician or nurse must be available in the clinic for the whole appointment.
    needs_medical_on_site = models.BooleanField(default=False)
    capacity = models.PositiveSmallIntegerField(default=1)
    what_to_bring_en = models.TextField(blank=True)
    what_to_bring_fr = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="type_capacity_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="type_duration_at_least_5_min"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=LONGEST_APPOINTMENT_MINUTES),
                name="type_duration_at_most_a_day",
            ),
        ]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        return in_language(self, "name", language)

    def what_to_bring(self, language: str | None = None) -> str:
        return in_language(self, "what_to_bring", language)


class Availability(models.Model):
    """A clinician's recurring weekly hours at a clinic, in the clinic's local time."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="availability"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        # Django's own day names: French days are lower case, as in every date shown.
        choices=list(WEEKDAYS.items()),
    )
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["weekday", "starts"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="availability_ordered",
                violation_error_message=_("The hours must end after they start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician} {self.get_weekday_display()} {self.starts}-{self.ends}"


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not attend")
    ATTENDED = "attended", _("Attended")


# What holds a place in time: a patient who came still occupies the rest of the slot.
OCCUPYING = (Status.BOOKED, Status.ATTENDED)


class Appointment(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey("clinics.Room", on_delete=models.PROTECT, related_name="appointments")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rescheduled_to"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        indexes: ClassVar = [models.Index(fields=["clinic", "starts_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.starts_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    """One patient in one appointment; the period is copied so the patient constraint can see it."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="attendances"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        "care.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # When the status last changed (attended, no-show, cancelled), set by the services that
    # change it; empty while booked. FHIR's Appointment.meta.lastUpdated reads it.
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        indexes: ClassVar = [models.Index(fields=["patient", "starts_at"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["appointment", "patient"], name="attendance_once_per_appointment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} at {self.appointment}"

    @property
    def is_booked(self) -> bool:
        return self.status == Status.BOOKED


class ReminderSent(models.Model):
    """A reminder the worker sent, so that a repeated run never sends it twice."""

    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="reminders")
    hours_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["attendance", "hours_before"], name="reminder_once_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours_before} h reminder for {self.attendance}"


class CalendarFeed(models.Model):
    """A clinician's secret iCalendar address; only its hash is stored, rotating replaces it."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.clinician}"
