"""Outcome measurement: when each program measures (a medical director's data, seeded), and
each patient's measurements generated from it at enrolment, sent, reminded, done or missed.

Responses themselves are screening.QuestionnaireResponse rows (scored there, once); a
measurement is done when every instrument it asks for has a response inside its window.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MeasurementKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    BEFORE_SESSION = "before_session", _("Before a ketamine session")
    END_OF_PROGRAM = "end_of_program", _("End of program")
    FOLLOW_UP = "follow_up", _("Follow-up")


STATUS_LABELS = {
    "done": _("Answered"),
    "missed": _("Missed"),
    "unscheduled": _("Waits for its session to be booked"),
    "sent": _("Sent, waiting for answers"),
    "planned": _("Planned"),
}


class SchedulePoint(models.Model):
    """One moment a program measures; `before_session` repeats before each ketamine session.

    Anchors: baseline at enrolment, before_session at each booked session, end_of_program and
    follow_up at the end of the program's window (enrolment + its longest duration)."""

    program = models.ForeignKey(
        "care.ProgramTemplate", on_delete=models.PROTECT, related_name="measurement_points"
    )
    kind = models.CharField(_("when"), max_length=20, choices=MeasurementKind.choices)
    # Days after the anchor (follow-ups: 30, 91 and 182 days for 1, 3 and 6 months).
    offset_days = models.SmallIntegerField(_("days after the anchor"), default=0)
    # Months shown for a follow-up ("Follow-up at 3 months"); 0 otherwise.
    months = models.PositiveSmallIntegerField(default=0)
    # A response this many days before the due time counts (a screening baseline, say).
    opens_days_before = models.PositiveSmallIntegerField(_("opens days before"), default=0)
    # Missed when nothing came this many days after the due time.
    closes_days_after = models.PositiveSmallIntegerField(_("closes days after"), default=7)
    instruments = models.JSONField(_("questionnaires"), default=list)

    class Meta:
        ordering: ClassVar = ["program", "offset_days", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["program", "kind", "months"], name="one_schedule_point_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.kind} +{self.offset_days}d"


class Measurement(models.Model):
    """One patient's measurement at one moment of their program."""

    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="measurements"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="measurements"
    )
    point = models.ForeignKey(SchedulePoint, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    # The ketamine session it precedes (1, 2...), or the follow-up's months; 0 otherwise.
    sequence = models.PositiveSmallIntegerField(default=0)
    instruments = models.JSONField(default=list)
    # Unknown (null) until the ketamine session it precedes is booked.
    due_at = models.DateTimeField(null=True, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = [models.F("due_at").asc(nulls_last=True), "kind", "sequence", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "sequence"], name="one_measurement_per_moment"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(missed_at__isnull=True),
                name="measurement_done_or_missed_not_both",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["completed_at", "missed_at", "opens_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.sequence} of {self.patient}"

    @property
    def status(self) -> str:
        if self.completed_at is not None:
            return "done"
        if self.missed_at is not None:
            return "missed"
        if self.due_at is None:
            return "unscheduled"
        if self.sent_at is not None:
            return "sent"
        return "planned"

    @property
    def is_missed(self) -> bool:
        return self.missed_at is not None and self.completed_at is None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def moment(self) -> object:
        """For `{{ measurement.moment|said }}`: "Before ketamine session 2", in their words."""
        from kapclinic.outcomes.wording import moment_phrase

        return moment_phrase(self.kind, self.sequence)
