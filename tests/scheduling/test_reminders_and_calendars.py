"""Reminders by email at 48 h and 24 h, the clinician's secret feed, the patient's invitation."""

from datetime import timedelta
from typing import Any

from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from kapclinic.scheduling.models import ReminderSent
from kapclinic.scheduling.tasks import send_due_reminders
from tests.scheduling.test_booking import at, book


def test_reminders_go_48_and_24_hours_before_once_each_with_the_ride_home_rule(
    clinic: dict[str, Any],
) -> None:
    patient = clinic["patient_a"]
    patient.email, patient.preferred_language = "canary@example.test", "en"
    patient.save()
    appointment = book(clinic)
    start = appointment.starts_at
    assert send_due_reminders(now=start - timedelta(hours=49)) == 0
    assert send_due_reminders(now=start - timedelta(hours=47)) == 1
    assert send_due_reminders(now=start - timedelta(hours=46)) == 0  # not twice
    assert send_due_reminders(now=start - timedelta(hours=23)) == 1
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["canary@example.test"]
    assert "Reminder: ketamine session on" in message.subject
    assert "Do not drive for the rest of the day" in message.body
    assert "Calm room" in message.body
    _name, ics, kind = message.attachments[0]
    assert kind == "text/calendar"
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start


def test_a_late_booking_gets_one_reminder_and_a_cancelled_one_none(clinic: dict[str, Any]) -> None:
    clinic["patient_a"].email = "canary@example.test"
    clinic["patient_a"].save()
    appointment = book(clinic)
    assert send_due_reminders(now=appointment.starts_at - timedelta(hours=5)) == 1
    assert set(ReminderSent.objects.values_list("hours_before", flat=True)) == {48, 24}
    later = book(clinic, starts_at=at(clinic, clinic["monday"] + timedelta(days=1), 9))
    from kapclinic.scheduling.services import cancel

    cancel(by=clinic["intake"], appointment_id=later.pk, reason="Unwell")
    assert send_due_reminders(now=later.starts_at - timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1


def test_french_patients_get_french_reminders(clinic: dict[str, Any], settings: Any) -> None:
    patient = clinic["patient_a"]
    patient.email, patient.preferred_language = "canary@example.test", "fr"
    patient.save()
    appointment = book(clinic)
    send_due_reminders(now=appointment.starts_at - timedelta(hours=20))
    body = mail.outbox[0].body
    assert "Ne conduisez pas" in body and "séance de kétamine" in body
    assert "Ceci est un rappel de votre séance de kétamine" in body


def test_a_clinician_feed_lists_appointments_without_patient_names_and_rotates(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    book(clinic)
    client = login(client, clinic["therapist"])
    page = client.post(reverse("scheduling:my_calendar")).content.decode()
    address = page.split('readonly value="')[1].split('"')[0]
    feed = client.get(address)
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar"
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Ketamine session"]
    assert b"Zzyzx" not in feed.content and b"Canary" not in feed.content
    client.post(reverse("scheduling:my_calendar"))  # rotate
    assert client.get(address).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_the_patient_sees_appointments_in_the_portal_and_downloads_an_invitation(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.care.services import enrol
    from tests.factories import signed_eligible

    signed_eligible(clinic["patient_a"])
    enrol(by=clinic["intake"], patient=clinic["patient_a"], program=clinic["programs"]["standard"])
    attendance = book(clinic).attendances.get()
    client = login(client, clinic["patient_user"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "Ketamine session" in page and "Do not drive" in page and "Standard program" in page
    ics = client.get(reverse("portal:invitation", kwargs={"attendance_id": attendance.pk}))
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["uid"].startswith("appointment-")
    other = book(
        clinic,
        patients=[clinic["patient_b"]],
        starts_at=at(clinic, clinic["monday"] + timedelta(days=1), 9),
    ).attendances.get()
    assert (
        client.get(reverse("portal:invitation", kwargs={"attendance_id": other.pk})).status_code
        == 404
    )


def test_the_introductory_program_page_says_the_evidence_favours_several_sessions(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.care.services import enrol
    from tests.factories import signed_eligible

    signed_eligible(clinic["patient_a"])
    enrol(
        by=clinic["intake"],
        patient=clinic["patient_a"],
        program=clinic["programs"]["introductory"],
        supporter_name="Marc Roy",
        supporter_contact="514-555-0111",
    )
    page = login(client, clinic["patient_user"]).get(reverse("portal:home")).content.decode()
    assert "The evidence favours a plan with several ketamine sessions" in page
