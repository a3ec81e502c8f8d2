"""The chart tells the whole story on one page (issue 13, item 7), in a flat number of
queries; the trajectory chart is a light SVG with bands, sessions and the outcome."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kapclinic.dosing.models import AdverseEvent, DosingSession
from kapclinic.outcomes.charts import trajectory_svg
from tests.dosing.conftest import dosed, ready  # noqa: F401 (the fixture)
from tests.factories import signed_eligible
from tests.outcomes.conftest import answered, book_session


def test_the_chart_shows_referral_screening_sessions_doses_events_and_outcomes(
    ready: dict[str, Any],  # noqa: F811
    client: Any,
    login: Any,
) -> None:
    # given a referred, screened patient dosed once, with an adverse event and two PHQ-9s
    patient = ready["patient_a"]
    signed_eligible(patient)
    session = dosed(ready, minutes_ago=30)
    AdverseEvent.objects.create(
        session=session,
        kind="nausea",
        severity="mild",
        onset_at=timezone.now() - timedelta(minutes=10),
        recorded_by=ready["nurse"],
    )
    answered(patient, "PHQ-9", 18, at=ready["enrolment"].enrolled_at - timedelta(days=3))
    answered(patient, "PHQ-9", 9, at=timezone.now())
    # when the physician opens the chart
    client = login(client, ready["physician"])
    html = client.get(reverse("patients:chart", kwargs={"patient_id": patient.pk})).content
    page = html.decode()
    # then every chapter of the story is there
    assert ready["referral"].number in page
    assert "Eligible" in page
    assert "100 mg" in page and "Nausea (Mild)" in page
    assert "PHQ-9 over time" in page and "<svg" in page
    assert "Response (at least 50% lower)</dt><dd>Yes" in page  # 18 -> 9: exactly half
    assert "Remission</dt><dd>No" in page  # 9 is not below 5
    # and the session itself is one click away (the sessions page lists only today's)
    assert reverse("dosing:session", kwargs={"session_id": session.pk}) in page


def test_a_role_that_may_not_open_sessions_gets_no_link_to_them(
    ready: dict[str, Any],  # noqa: F811
    client: Any,
    login: Any,
) -> None:
    patient = ready["patient_a"]
    signed_eligible(patient)
    session = dosed(ready, minutes_ago=30)
    client = login(client, ready["intake"])
    page = client.get(reverse("patients:chart", kwargs={"patient_id": patient.pk})).content
    assert reverse("dosing:session", kwargs={"session_id": session.pk}) not in page.decode()


def test_the_trajectory_svg_shades_the_bands_and_marks_the_sessions(
    enrolled: Any, network: dict[str, Any]
) -> None:
    patient = enrolled.patient
    book_session(enrolled, timezone.now() + timedelta(days=1), network["physician"])
    answered(patient, "GAD-7", 15, at=timezone.now() - timedelta(days=2))
    answered(patient, "GAD-7", 4, at=timezone.now() + timedelta(days=8))
    svg = trajectory_svg(patient, "GAD-7")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 4  # minimal, mild, moderate, severe (Spitzer 2006)
    assert "Ketamine session 1" in svg and ">K1<" in svg
    assert "Baseline 15, latest 4." in svg
    assert "style=" not in svg  # the page's CSP forbids inline styles
    assert svg == trajectory_svg(patient, "GAD-7")  # deterministic
    with translation.override("fr"):
        french = trajectory_svg(patient, "GAD-7")
    assert "Séance de kétamine 1" in french and "Sévère" in french


def test_a_trajectory_without_scores_says_so(enrolled: Any) -> None:
    assert "No score yet." in trajectory_svg(enrolled.patient, "PCL-5")


def _sessions(enrolment: Any, count: int, network: dict[str, Any]) -> None:
    for n in range(count):
        attendance = book_session(
            enrolment, timezone.now() - timedelta(days=7 * (n + 1)), network["physician"]
        )
        session = DosingSession.objects.create(
            attendance=attendance,
            patient=enrolment.patient,
            clinic=enrolment.patient.clinic,
            enrolment=enrolment,
            state="discharged",
        )
        AdverseEvent.objects.create(
            session=session,
            kind="headache",
            severity="mild",
            onset_at=attendance.starts_at,
            recorded_by=network["nurse"],
        )
        answered(enrolment.patient, "PHQ-9", 10 + n, at=attendance.starts_at)


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_chart_costs_the_same_queries_whatever_the_number_of_sessions(
    sessions: int,
    enrolled: Any,
    network: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    _sessions(enrolled, sessions, network)
    client = login(client, network["physician"])
    url = reverse("patients:chart", kwargs={"patient_id": enrolled.patient.pk})
    with django_assert_num_queries(16):  # 15 before the letters to the referrer (one query)
        html = client.get(url).content.decode()
    assert html.count("Headache (Mild)") == sessions
