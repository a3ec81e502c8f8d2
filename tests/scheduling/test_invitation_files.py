"""Calendar files a calendar app can read: each TZID has its VTIMEZONE (RFC 5545 3.6.5), and an
invitation sent as METHOD:REQUEST names its ORGANIZER and ATTENDEE (RFC 5546 3.2.2)."""

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from kapclinic.referrals.self_referral import invitation as intake_invitation
from kapclinic.referrals.self_referral import open_intake_slots
from kapclinic.scheduling.calendars import clinician_feed, invitation
from tests.factories import ReferralFactory, UserFactory
from tests.scheduling.test_booking import book


def assert_self_contained(ics: bytes) -> Calendar:
    calendar = Calendar.from_ical(ics)
    used = calendar.get_used_tzids()
    assert used, "times carry the clinic's TZID, not bare UTC"
    defined = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    assert used <= defined
    assert calendar.get_missing_tzids() == set()
    return calendar


def test_the_patient_invitation_carries_the_clinic_time_zone(clinic: dict[str, Any]) -> None:
    appointment = book(clinic)
    attendance = appointment.attendances.get()
    calendar = assert_self_contained(invitation([attendance], "en"))
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "America/Toronto"
    assert event.decoded("dtstart") == appointment.starts_at


def test_the_clinician_feed_carries_its_time_zones(clinic: dict[str, Any]) -> None:
    book(clinic)
    assert_self_contained(clinician_feed(clinic["therapist"]))


def test_the_intake_invitation_is_a_complete_request_in_vancouver_time(
    network: dict[str, Any],
) -> None:
    cache.clear()
    vancouver = network["vancouver"]
    coordinator = UserFactory(role="intake", clinics=[vancouver])
    tomorrow = timezone.localdate(timezone=vancouver.tzinfo) + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=vancouver.tzinfo).replace(hour=9)
    slot = open_intake_slots(
        by=coordinator, clinic=vancouver, starts=start, ends=start + timedelta(minutes=30)
    )[0]
    slot.referral = ReferralFactory(clinic=vancouver, province="BC", email="pat@example.test")
    slot.save()
    calendar = assert_self_contained(intake_invitation(slot))
    assert str(calendar["method"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "America/Vancouver"
    assert event.decoded("dtstart").hour == 9
    assert str(event["organizer"]).startswith("mailto:")
    assert event["organizer"].params["CN"] == "Vancouver"
    assert str(event["attendee"]) == "mailto:pat@example.test"
