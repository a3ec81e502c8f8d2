"""iCalendar: a secret feed of each clinician's appointments, and an invitation per appointment.

The feed is read by calendar apps outside the clinic, so it names no patient: the event says
what and where, and links back to kapclinic, where signing in shows who. The token is shown
once when made or rotated; only its SHA-256 is stored, so a leaked database does not leak feeds.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.scheduling.models import Appointment, Attendance, CalendarFeed, Status

# How far back and ahead a clinician's feed reaches.
FEED_DAYS_BEFORE, FEED_DAYS_AFTER = 30, 180


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def rotate_feed(*, clinician: User) -> str:
    """A new secret for the clinician's feed; the old address stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        clinician=clinician, defaults={"token_hash": _digest(token), "rotated_at": timezone.now()}
    )
    record_event(
        actor=clinician, action=Action.UPDATE, target=clinician, detail={"feed": "rotated"}
    )
    return token


def feed_owner(token: str) -> Any:
    """The clinician whose feed this token opens, or None."""
    feed = (
        CalendarFeed.objects.select_related("clinician").filter(token_hash=_digest(token)).first()
    )
    if feed is None or not feed.clinician.is_active:
        return None
    return feed.clinician


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//kapclinic//scheduling//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(appointment: Appointment, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@kapclinic")
    event.add("dtstamp", timezone.now())
    zone = appointment.clinic.tzinfo  # the clinic's wall-clock time, with its VTIMEZONE
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", summary)
    clinic = appointment.clinic
    event.add(
        "location", f"{clinic.name}, {appointment.room.name}, {clinic.address}, {clinic.city}"
    )
    event.add("description", description)
    event.add("status", "CANCELLED" if appointment.status == Status.CANCELLED else "CONFIRMED")
    return event


def _finish(calendar: Calendar) -> bytes:
    """RFC 5545 3.6.5: every TZID used has its VTIMEZONE in the file."""
    today = timezone.now().date()
    calendar.add_missing_timezones(
        first_date=today - timedelta(days=FEED_DAYS_BEFORE + 366),
        last_date=today + timedelta(days=FEED_DAYS_AFTER + 366),
    )
    return calendar.to_ical()


def clinician_feed(clinician: User) -> bytes:
    now = timezone.now()
    appointments = Appointment.objects.filter(
        clinician=clinician,
        starts_at__gte=now - timedelta(days=FEED_DAYS_BEFORE),
        starts_at__lte=now + timedelta(days=FEED_DAYS_AFTER),
    ).select_related("type", "room", "clinic")
    calendar = _calendar()
    for appointment in appointments:
        link = settings.SITE_URL + reverse("scheduling:my_calendar")
        what = appointment.type.name(clinician.language)  # the feed has no request: their language
        calendar.add_component(_event(appointment, what, link))
    record_event(actor=clinician, action=Action.READ, target=clinician, detail={"feed": "read"})
    return _finish(calendar)


def invitation(attendances: Iterable[Attendance], language: str) -> bytes:
    """The patient's invitation file: what, where, and what to bring."""
    calendar = _calendar()
    for attendance in attendances:
        appointment = attendance.appointment
        type = appointment.type
        calendar.add_component(
            _event(appointment, type.name(language), type.what_to_bring(language))
        )
    return _finish(calendar)
