"""Reminders, sent by `kapclinic worker`: each patient is emailed before each appointment.

The offsets are settings.REMINDER_HOURS (48 and 24 by default). A booking made late gets one
email for the nearest offset, not one per offset; ReminderSent makes a repeated run harmless.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation

from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.scheduling.calendars import invitation
from kapclinic.scheduling.models import Attendance, ReminderSent, Status
from kapclinic.text import render_subject, render_text

# How often the worker looks for reminders that have come due.
REMINDER_SWEEP_MINUTES = 10


def _due_offsets(attendance: Attendance, now: datetime, sent: set[int]) -> list[int]:
    """The offsets whose time has come and that were not sent yet."""
    left = attendance.starts_at - now
    return [h for h in settings.REMINDER_HOURS if left <= timedelta(hours=h) and h not in sent]


def _remind(attendance: Attendance, offsets: list[int]) -> bool:
    patient = attendance.patient
    try:
        with transaction.atomic():
            for hours in offsets:
                ReminderSent.objects.create(attendance=attendance, hours_before=hours)
            record_event(
                actor=None,
                action=Action.EXPORT,
                patient=patient,
                target=attendance,
                detail={"reminder_hours": min(offsets)},
            )
    except IntegrityError:  # another worker sent it
        return False
    appointment = attendance.appointment
    language = patient.preferred_language
    with translation.override(language):
        context = {
            "attendance": attendance,
            "appointment": appointment,
            "what": appointment.type.name(language).lower(),
            "bring": appointment.type.what_to_bring(language),
        }
        body = render_text("scheduling/email/reminder.txt", context)
        subject = render_subject("scheduling/email/reminder_subject.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email])
    message.attach("appointment.ics", invitation([attendance], language), "text/calendar")
    message.send()
    return True


def send_due_reminders(now: datetime | None = None) -> int:
    """Email every reminder that has come due; the number sent."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=max(settings.REMINDER_HOURS, default=0))
    attendances = (
        Attendance.objects.filter(status=Status.BOOKED, starts_at__gt=now, starts_at__lte=horizon)
        .exclude(patient__email="")
        .select_related("patient", "appointment__type", "appointment__room", "appointment__clinic")
        .prefetch_related("reminders")
    )
    count = 0
    for attendance in attendances:
        offsets = _due_offsets(
            attendance, now, {r.hours_before for r in attendance.reminders.all()}
        )
        if offsets and _remind(attendance, offsets):
            count += 1
    return count


@task()
def send_appointment_reminders() -> str:
    """Send what is due, then schedule the next sweep (one worker keeps it going, no cron)."""
    sent = send_due_reminders()
    send_appointment_reminders.using(
        run_after=timezone.now() + timedelta(minutes=REMINDER_SWEEP_MINUTES)
    ).enqueue()
    return f"{sent} reminders"
