"""The scheduling pages: propose and book a plan, the week by room and clinician, hours."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kapclinic.audit.models import AuditEvent
from kapclinic.care.services import enrol
from kapclinic.scheduling.models import Appointment, Attendance, Availability, Status
from tests.factories import PatientFactory, RoomFactory, UserFactory, signed_eligible


@pytest.fixture
def enrolled(clinic: dict[str, Any]) -> Any:
    signed_eligible(clinic["patient_a"])
    return enrol(
        by=clinic["intake"], patient=clinic["patient_a"], program=clinic["programs"]["standard"]
    )


def test_a_coordinator_proposes_then_books_the_plan(
    clinic: dict[str, Any], enrolled: Any, client: Any, login: Any
) -> None:
    client = login(client, clinic["intake"])
    url = reverse("scheduling:patient", kwargs={"patient_id": clinic["patient_a"].pk})
    start = clinic["monday"].isoformat()
    page = client.get(url, {"start": start}).content.decode()
    assert "Ketamine session 4" in page and "Book these 10 appointments" in page
    assert Appointment.objects.count() == 0  # proposing books nothing
    response = client.post(
        reverse("scheduling:book_plan", kwargs={"patient_id": clinic["patient_a"].pk}),
        {"start": start},
        follow=True,
    )
    assert "10 appointments booked." in response.content.decode()
    assert Attendance.objects.filter(patient=clinic["patient_a"], status="booked").count() == 10


def test_a_refused_booking_shows_why_and_books_nothing(
    clinic: dict[str, Any], enrolled: Any, client: Any, login: Any
) -> None:
    client = login(client, clinic["intake"])
    response = client.post(
        reverse("scheduling:book", kwargs={"patient_id": clinic["patient_a"].pk}),
        {
            "type": clinic["types"]["ketamine-session"].pk,
            "clinician": clinic["therapist"].pk,
            "room": clinic["office"].pk,
            "day": clinic["monday"].isoformat(),
            "at": "09:00",
        },
        follow=True,
    )
    assert "Office 1 is not equipped for ketamine sessions." in response.content.decode()
    assert Appointment.objects.count() == 0


def test_cancelling_from_the_page_needs_a_reason_and_keeps_the_row(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from tests.scheduling.test_booking import book

    appointment = book(clinic)
    client = login(client, clinic["nurse"])
    url = reverse("scheduling:cancel", kwargs={"appointment_id": appointment.pk})
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Give the reason." in refused
    client.post(url, {"reason": "Unwell", "patient_id": clinic["patient_a"].pk})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.reason) == (Status.CANCELLED, "Unwell")


def test_staff_of_another_clinic_cannot_touch_the_appointment(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from tests.scheduling.test_booking import book

    appointment = book(clinic)
    outsider = UserFactory(role="intake", clinics=[clinic["vancouver"]])
    client = login(client, outsider)
    url = reverse("scheduling:cancel", kwargs={"appointment_id": appointment.pk})
    assert client.post(url, {"reason": "x"}).status_code == 404
    week = reverse("scheduling:week", kwargs={"clinic_id": clinic["montreal"].pk})
    assert client.get(week).status_code == 404


def fill_week(clinic: dict[str, Any], count: int) -> None:
    """`count` appointments in the week, each room with its own clinician and patient."""
    montreal, monday = clinic["montreal"], clinic["monday"]
    per_room = 20
    rooms = [RoomFactory(clinic=montreal) for _ in range((count + per_room - 1) // per_room)]
    appointments, owners = [], []
    for n in range(count):
        room_index, slot = divmod(n, per_room)
        day, hour = divmod(slot, 4)
        start = datetime.combine(monday + timedelta(days=day), time(9 + 2 * hour), montreal.tzinfo)
        if slot == 0:
            clinician = UserFactory(role="therapist", clinics=[montreal])
            patient = PatientFactory(clinic=montreal)
        appointments.append(
            Appointment(
                clinic=montreal,
                type=clinic["types"]["integration"],
                room=rooms[room_index],
                clinician=clinician,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                booked_by=clinic["intake"],
            )
        )
        owners.append(patient)
    Appointment.objects.bulk_create(appointments)
    Attendance.objects.bulk_create(
        Attendance(appointment=a, patient=p, starts_at=a.starts_at, ends_at=a.ends_at)
        for a, p in zip(appointments, owners, strict=True)
    )


def test_the_week_view_query_count_is_flat_from_1_to_500_appointments(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    client = login(client, clinic["intake"])
    url = reverse("scheduling:week", kwargs={"clinic_id": clinic["montreal"].pk})
    counts = {}
    for total in (1, 500):
        Attendance.objects.all().delete()
        Appointment.objects.all().delete()
        fill_week(clinic, total)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"start": clinic["monday"].isoformat()})
        assert response.status_code == 200
        assert f"{total} appointment" in response.content.decode()
        counts[total] = len(queries)
    assert counts[1] == counts[500], counts
    # One event a page view, naming the patients shown (25 in the full week).
    views = AuditEvent.objects.filter(detail__view="week").order_by("id")
    assert [len(event.detail["patients"]) for event in views] == [1, 25]


def test_the_week_query_reads_from_the_week_start_not_the_whole_history(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    """The appointment query is bounded below by the week's start (less the longest possible
    appointment), so the index reads this week's rows however long the clinic's history."""
    fill_week(clinic, 3)
    client = login(client, clinic["intake"])
    url = reverse("scheduling:week", kwargs={"clinic_id": clinic["montreal"].pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"start": clinic["monday"].isoformat()})
    assert "3 appointment" in response.content.decode()
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "scheduling_appointment"' in q["sql"] and '"ends_at" >' in q["sql"]
    ]
    assert len(reads) == 2  # the week's appointments, and their patients by the same bounds
    for sql in reads:
        assert '"starts_at" >=' in sql
        assert '"starts_at" <' in sql


def test_the_week_shows_rooms_and_clinicians_with_the_patient(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from tests.scheduling.test_booking import book

    book(clinic)
    client = login(client, clinic["nurse"])
    url = reverse("scheduling:week", kwargs={"clinic_id": clinic["montreal"].pk})
    page = client.get(url, {"start": clinic["monday"].isoformat()}).content.decode()
    assert page.count("Zzyzx-Patient") == 2  # once under its room, once under its clinician
    assert "Calm room" in page and "09:00\u201312:00" in page


def test_the_week_escapes_every_name_it_writes(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    """The week's cells are written in Python (scheduling/templatetags/week.py), not by the
    template's autoescape: a name with markup is shown as text, in both tables."""
    from tests.scheduling.test_booking import book

    clinic["patient_a"].preferred_name = '<img src=x onerror="alert(1)">'
    clinic["patient_a"].save()
    clinic["dosing_room"].name = "Room <b>2</b>"
    clinic["dosing_room"].save()
    book(clinic)
    client = login(client, clinic["nurse"])
    url = reverse("scheduling:week", kwargs={"clinic_id": clinic["montreal"].pk})
    page = client.get(url, {"start": clinic["monday"].isoformat()}).content.decode()
    assert "<img" not in page and "<b>2</b>" not in page
    assert page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 2
    assert "Room &lt;b&gt;2&lt;/b&gt;" in page


def test_a_session_begun_the_sunday_night_before_shows_on_monday_not_sunday(
    clinic: dict[str, Any],
) -> None:
    """An appointment that started before the week and runs into it belongs to the week's
    first day; its day index was -1 and it showed under Sunday, six days later."""
    from kapclinic.scheduling import selectors

    montreal = clinic["montreal"]
    starts = datetime.combine(clinic["monday"], time(0), montreal.tzinfo) - timedelta(hours=1)
    appointment = Appointment.objects.create(
        clinic=montreal,
        type=clinic["types"]["ketamine-session"],
        room=clinic["dosing_room"],
        clinician=clinic["therapist"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booked_by=clinic["intake"],
    )
    Attendance.objects.create(
        appointment=appointment,
        patient=clinic["patient_a"],
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
    )
    week = selectors.week(by=clinic["intake"], clinic=montreal, monday=clinic["monday"])
    [room] = [row for row in week.rooms if row.label == "Calm room"]
    assert [len(day) for day in room.days] == [1, 0, 0, 0, 0, 0, 0]
    assert room.days[0][0].times == "23:00\u201302:00"


def test_a_clinic_admin_sets_and_ends_weekly_hours(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    client = login(client, clinic["clinic_admin"])
    url = reverse("scheduling:hours", kwargs={"clinic_id": clinic["montreal"].pk})
    bad = client.post(
        url,
        {"clinician": clinic["therapist_2"].pk, "weekday": 5, "starts": "17:00", "ends": "9:00"},
    )
    assert "must end after" in bad.content.decode()
    client.post(
        url,
        {"clinician": clinic["therapist_2"].pk, "weekday": 5, "starts": "09:00", "ends": "12:00"},
    )
    saturday = Availability.objects.get(clinician=clinic["therapist_2"], weekday=5)
    client.post(url, {"end": saturday.pk})
    saturday.refresh_from_db()
    assert saturday.ended_at is not None


def test_a_patient_joins_an_integration_group_from_their_page(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from tests.scheduling.test_booking import book

    group = book(
        clinic, type=clinic["types"]["integration-group"], room=clinic["office"], patients=[]
    )
    client = login(client, clinic["intake"])
    url = reverse("scheduling:patient", kwargs={"patient_id": clinic["patient_a"].pk})
    assert "0 of 8 places taken" in client.get(url).content.decode()
    join = reverse("scheduling:join_group", kwargs={"patient_id": clinic["patient_a"].pk})
    response = client.post(join, {"appointment": group.pk}, follow=True)
    assert "Added to the group." in response.content.decode()
    again = client.post(join, {"appointment": group.pk}, follow=True).content.decode()
    assert "already booked at that time" in again
    assert group.attendances.filter(patient=clinic["patient_a"]).count() == 1


# Each schedule screen costs the same with one appointment in the week or five.
SCHEDULE_SCREENS = {
    "patient": ("intake", 10),
    "week": ("intake", 9),
    "hours": ("clinic_admin", 5),
    "my_calendar": ("therapist", 4),
}


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("name", list(SCHEDULE_SCREENS))
def test_each_schedule_screen_pins_its_queries(
    name: str,
    rows: int,
    clinic: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    from tests.scheduling.test_booking import book

    book(clinic)
    fill_week(clinic, rows)
    kwargs = {
        "patient": {"patient_id": clinic["patient_a"].pk},
        "week": {"clinic_id": clinic["montreal"].pk},
        "hours": {"clinic_id": clinic["montreal"].pk},
    }.get(name, {})
    role, queries = SCHEDULE_SCREENS[name]
    client = login(client, clinic[role])
    with django_assert_num_queries(queries):
        page = client.get(reverse(f"scheduling:{name}", kwargs=kwargs))
    assert page.status_code == 200


def test_moving_an_appointment_needs_a_time_and_a_reason(
    clinic: dict[str, Any], client: Any, login: Any
) -> None:
    from tests.scheduling.test_booking import book

    appointment = book(clinic)
    before = appointment.starts_at
    url = reverse("scheduling:reschedule", kwargs={"appointment_id": appointment.pk})
    client = login(client, clinic["intake"])
    back = {"patient_id": clinic["patient_a"].pk}
    tuesday = clinic["monday"] + timedelta(days=1)
    refused = client.post(url, {**back, "day": tuesday, "at": "09:00"}, follow=True)
    assert "Give the new date, time and the reason." in refused.text
    appointment.refresh_from_db()
    assert appointment.starts_at == before
    fields = {**back, "day": tuesday, "at": "09:00", "reason": "Patient asked"}
    page = client.post(url, fields, follow=True)
    assert "Appointment moved." in page.text
    appointment.refresh_from_db()
    assert (appointment.status, appointment.reason) == (Status.CANCELLED, "Patient asked")
    moved = Appointment.objects.get(rescheduled_from=appointment)
    assert moved.starts_at == before + timedelta(days=1)


def test_attendance_is_recorded_once(clinic: dict[str, Any], client: Any, login: Any) -> None:
    from tests.scheduling.test_booking import book

    attendance = book(clinic).attendances.get()
    url = reverse("scheduling:attendance", kwargs={"attendance_id": attendance.pk})
    client = login(client, clinic["nurse"])
    client.post(url, {"status": Status.NO_SHOW, "reason": "No answer"})
    attendance.refresh_from_db()
    assert attendance.status == Status.NO_SHOW
    assert AuditEvent.objects.filter(
        object_id=str(attendance.pk), detail__status=Status.NO_SHOW
    ).exists()
    again = client.post(url, {"status": Status.ATTENDED}, follow=True)
    assert again.status_code == 200
    attendance.refresh_from_db()
    assert attendance.status == Status.NO_SHOW
    assert "messages" in again.context and list(again.context["messages"])


def test_billing_cannot_record_attendance(clinic: dict[str, Any], client: Any, login: Any) -> None:
    from tests.scheduling.test_booking import book

    attendance = book(clinic).attendances.get()
    url = reverse("scheduling:attendance", kwargs={"attendance_id": attendance.pk})
    assert login(client, clinic["billing"]).post(url, {"status": "attended"}).status_code == 403
    attendance.refresh_from_db()
    assert attendance.status == Status.BOOKED
