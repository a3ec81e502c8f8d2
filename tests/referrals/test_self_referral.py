"""Booking an intake call from the public page: pre-check, honeypot, rate limit, invitation."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kapclinic.referrals.models import Channel, IntakeSlot, Referral, Status
from kapclinic.referrals.self_referral import open_intake_slots
from tests.factories import condition


@pytest.fixture
def slots(network: dict[str, Any]) -> list[IntakeSlot]:
    cache.clear()
    tomorrow = timezone.localdate() + timedelta(days=1)
    zone = network["montreal"].tzinfo
    return open_intake_slots(
        by=network["intake"],
        clinic=network["montreal"],
        starts=datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone).replace(hour=10),
        ends=datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone).replace(hour=11),
    )


def booking(slot: IntakeSlot, **overrides: Any) -> dict[str, Any]:
    return {
        "province": "QC",
        "date_of_birth": "1988-02-03",
        "given_name": "Noé",
        "family_name": "Lapointe",
        "phone": "438-555-0101",
        "email": "noe@example.test",
        "preferred_language": "fr",
        "condition": condition("anxiety").pk,
        "reason": "Anxiety for years.",
        "slot": slot.pk,
        "website": "",
        **overrides,
    }


def test_booking_receives_a_referral_reserves_the_slot_and_sends_an_invitation(
    slots: list[IntakeSlot], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert len(slots) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:self_referral"), booking(slots[0]))
    assert response.status_code == 302
    referral = Referral.objects.get(family_name="Lapointe")
    assert (referral.channel, referral.status, referral.referrer) == (
        Channel.SELF,
        Status.RECEIVED,
        None,
    )
    assert referral.contact_due_at - referral.received_at == timedelta(hours=24)
    slots[0].refresh_from_db()
    assert slots[0].referral == referral
    message = next(m for m in mail.outbox if m.to == ["noe@example.test"])
    name, content, content_type = message.attachments[0]
    assert name == "intake-call.ics" and content_type.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slots[0].starts_at


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {
                "province": "BC",
                "date_of_birth": (date.today().replace(year=date.today().year - 18)).isoformat(),
            },
            "open from age 19",
        ),
        ({"pregnant_or_nursing": "on"}, "not offered during pregnancy"),
    ],
)
def test_the_pre_check_explains_instead_of_booking(
    overrides: dict[str, Any], reason: str, slots: list[IntakeSlot], client: Any
) -> None:
    response = client.post(reverse("referrals:self_referral"), booking(slots[0], **overrides))
    assert reason in response.content.decode()
    assert not Referral.objects.filter(family_name="Lapointe").exists()


def test_a_robot_filling_the_honeypot_books_nothing(slots: list[IntakeSlot], client: Any) -> None:
    response = client.post(
        reverse("referrals:self_referral"), booking(slots[0], website="http://spam")
    )
    assert response.status_code == 302
    assert (
        not Referral.objects.exists()
        or not Referral.objects.filter(family_name="Lapointe").exists()
    )


def test_bookings_from_one_address_are_limited(
    slots: list[IntakeSlot], client: Any, settings: Any
) -> None:
    settings.SELF_REFERRAL_PER_HOUR = 1
    client.post(reverse("referrals:self_referral"), booking(slots[0]))
    response = client.post(
        reverse("referrals:self_referral"), booking(slots[1], family_name="Second")
    )
    assert "Too many bookings from this connection" in response.content.decode()
    assert not Referral.objects.filter(family_name="Second").exists()


def test_a_taken_slot_is_refused_with_a_clear_message(slots: list[IntakeSlot], client: Any) -> None:
    client.post(reverse("referrals:self_referral"), booking(slots[0]))
    cache.clear()
    response = client.post(
        reverse("referrals:self_referral"), booking(slots[0], family_name="Late")
    )
    assert response.status_code == 200
    assert not Referral.objects.filter(family_name="Late").exists()


def test_coordinators_offer_times_from_their_page(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    login(client, network["intake"]).post(
        reverse("referrals:availability"),
        {"clinic": network["montreal"].pk, "day": day, "start": "09:00", "end": "10:30"},
    )
    assert IntakeSlot.objects.filter(coordinator=network["intake"]).count() == 3
