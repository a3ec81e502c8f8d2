"""The dosing pages: who sees a session, what a refusal looks like, the order page."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import Enrolment
from kapclinic.dosing.models import DosingSession, Order
from tests.dosing.conftest import book_session, checked_in, cleared, dosed, with_checks
from tests.factories import PatientFactory, RoomFactory, UserFactory


def test_today_lists_the_session_and_a_nurse_checks_in(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    login(client, ready["nurse"])
    page = client.get(reverse("dosing:today"))
    assert "Check Canary in" in page.content.decode()
    url = reverse("dosing:check_in", kwargs={"attendance_id": ready["attendance"].pk})
    response = client.post(url)
    session = ready["attendance"].__class__.objects.get(pk=ready["attendance"].pk).dosing_session
    assert response["Location"] == reverse("dosing:session", kwargs={"session_id": session.pk})


def test_a_check_in_before_preparation_is_done_says_why_on_todays_page(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    Enrolment.objects.filter(pk=ready["enrolment"].pk).update(stage="prepare")
    login(client, ready["nurse"])
    url = reverse("dosing:check_in", kwargs={"attendance_id": ready["attendance"].pk})
    page = client.post(url, follow=True).content.decode()
    assert "The journey is at Prepare" in page
    assert "Check Canary in" in page
    assert not DosingSession.objects.exists()


def test_the_session_screen_is_audited_and_hidden_from_other_therapists(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = checked_in(ready)
    url = reverse("dosing:session", kwargs={"session_id": session.pk})
    assert login(client, ready["therapist"]).get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="read", object_id=str(session.pk), actor=ready["therapist"]
    ).exists()
    response = login(client, ready["therapist_2"]).get(url)
    assert response.status_code == 404
    assert b"Zzyzx-Patient" not in response.content


def test_a_refused_discharge_shows_which_criteria_are_unmet(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = dosed(ready, minutes_ago=30)
    login(client, ready["nurse"])
    vitals = reverse("dosing:vitals", kwargs={"session_id": session.pk})
    reading_form = {"systolic": 120, "diastolic": 80, "pulse": 70, "spo2": 98}
    now = timezone.localtime(timezone=ready["montreal"].tzinfo).strftime("%Y-%m-%dT%H:%M")
    client.post(vitals, reading_form | {"taken_at": now})
    response = client.post(
        reverse("dosing:discharge", kwargs={"session_id": session.pk}),
        {"alert_and_oriented": "on", "walking_steadily": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Observed for 30 minutes since the last dose; at least 120 are required." in page
    assert "No escort is present to take the patient home." in page


def test_an_intravenous_order_is_refused_on_the_order_page(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    login(client, ready["physician"])
    url = reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk})
    response = client.post(
        url, {"route": "intravenous", "dose_mg": "35", "expires_on": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "Ketamine by intravenous injection is not given at this clinic" in (
        response.content.decode()
    )
    assert Order.objects.count() == 1


def test_the_order_page_says_up_front_that_the_patient_must_be_enrolled_first(
    ready: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    new = PatientFactory(clinic=ready["montreal"])
    physician = ready["physician"]
    physician.language = "fr"
    physician.save(update_fields=["language"])
    login(client, physician)
    url = reverse("dosing:orders", kwargs={"patient_id": new.pk})
    # Pinned like the page with orders (6): no order to read products for, one query to see
    # whether the patient is enrolled.
    with django_assert_num_queries(6):
        page = client.get(url).text
    assert "Inscrivez le patient à un programme avant de rédiger une ordonnance." in page
    assert reverse("care:journey", kwargs={"patient_id": new.pk}) in page
    assert "Signer l\u2019ordonnance" not in page
    # With an enrolment (and orders), the form is there and the notice is not.
    enrolled = client.get(reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk}))
    assert "needs-enrolment" not in enrolled.text and "<form" in enrolled.text


def test_a_nurse_reads_the_orders_but_cannot_sign_one(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    login(client, ready["nurse"])
    url = reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk})
    page = client.get(url).content.decode()
    assert "Sublingual rapid-dissolving tablet" in page and "Sign the order" not in page
    client.post(url, {"route": "intranasal_spray", "dose_mg": "56", "expires_on": "2099-01-01"})
    assert Order.objects.count() == 1


def test_the_checklist_and_a_refusal_read_in_french(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = with_checks(ready, ride_home_arranged=False)
    ready["nurse"].language = "fr"
    ready["nurse"].save(update_fields=["language"])
    login(client, ready["nurse"])
    url = reverse("dosing:session", kwargs={"session_id": session.pk})
    page = client.get(url).content.decode()
    assert "Le consentement au traitement est valide." in page
    assert "Aucun transport pour le retour n\u2019est prévu" in page
    clear = reverse("dosing:clear", kwargs={"session_id": session.pk})
    refused = client.post(clear, follow=True).content.decode()
    assert "le patient ne doit pas conduire avant le lendemain" in refused


def test_a_dose_typed_with_a_french_decimal_comma_reaches_the_whole_mg_rule(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    ready["physician"].language = "fr"
    ready["physician"].save(update_fields=["language"])
    login(client, ready["physician"])
    url = reverse("dosing:orders", kwargs={"patient_id": ready["patient_a"].pk})
    response = client.post(
        url, {"route": "intranasal_spray", "dose_mg": "37,5", "expires_on": "2099-01-01"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "n\u2019est pas un nombre entier de mg" in page
    assert "37,5 mg" in page and "37.5 mg" not in page
    assert "Saisissez un nombre" not in page
    assert Order.objects.count() == 1


@pytest.mark.parametrize("sessions", [1, 5])
def test_todays_sessions_pin_their_queries(
    sessions: int, ready: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(sessions - 1):  # each in a room and with a therapist of its own
        room = RoomFactory(clinic=ready["montreal"], dosing_capable=True)
        therapist = UserFactory(role="therapist", clinics=[ready["montreal"]])
        other = {**ready, "dosing_room": room, "therapist": therapist}
        book_session(other, PatientFactory(clinic=ready["montreal"]))
    checked_in(ready)
    client = login(client, ready["nurse"])
    with django_assert_num_queries(5):
        page = client.get(reverse("dosing:today"))
    assert page.status_code == 200


def test_the_change_order_page_pins_its_queries(
    ready: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    client = login(client, ready["physician"])
    url = reverse("dosing:change_order", kwargs={"order_id": ready["order"].pk})
    with django_assert_num_queries(7):
        page = client.get(url)
    assert page.status_code == 200


def test_a_physician_changes_an_order_and_a_nurse_cannot(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    url = reverse("dosing:change_order", kwargs={"order_id": ready["order"].pk})
    fields = {
        "route": "sublingual_rdt",
        "dose_mg": "150",
        "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "reason_for_change": "Titrating up",
    }
    refused = login(client, ready["nurse"]).post(url, fields)
    assert refused.status_code in (403, 404)
    assert Order.objects.count() == 1
    client = login(client, ready["physician"])
    whole_tablets = client.post(url, fields)
    assert whole_tablets.status_code == 400
    assert "150 mg is not a whole number of tablet" in whole_tablets.text
    assert Order.objects.count() == 1
    page = client.post(url, {**fields, "dose_mg": "200"}, follow=True)
    assert "The order is signed." in page.text
    assert Order.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="dosing.order", action="create").count() == 2


def _now(ready: dict[str, Any], minutes_ago: int = 0) -> str:
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    return timezone.localtime(moment, timezone=ready["montreal"].tzinfo).strftime("%Y-%m-%dT%H:%M")


def _session_url(name: str, session: DosingSession) -> str:
    return reverse(f"dosing:{name}", kwargs={"session_id": session.pk})


BASELINE_FORM = {"systolic": 120, "diastolic": 80, "pulse": 70, "spo2": 98}


def test_the_pre_dose_checks_are_posted_or_their_errors_shown(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = checked_in(ready)
    client = login(client, ready["nurse"])
    url = _session_url("pre_dose", session)
    refused = client.post(url, BASELINE_FORM | {"taken_at": _now(ready)})
    assert refused.status_code == 400
    assert "This field is required." in refused.text  # the pregnancy status
    fields = BASELINE_FORM | {
        "taken_at": _now(ready),
        "fasted_as_instructed": "on",
        "ride_home_arranged": "on",
        "pregnancy_attestation": "not_pregnant",
    }
    assert client.post(url, fields)["Location"] == _session_url("session", session)
    session.refresh_from_db()
    assert session.fasted_as_instructed and session.ride_home_arranged


def test_the_dose_is_recorded_from_the_screen_and_a_bad_lot_refused(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = with_checks(ready)
    client = login(client, ready["nurse"])
    client.post(_session_url("clear", session))
    url = _session_url("dose", session)
    refused = client.post(url, {"given_at": _now(ready), "dose_mg": 100, "lot": 0})
    assert refused.status_code == 400
    assert "Select a valid choice." in refused.text
    fields = {"given_at": _now(ready), "dose_mg": 100, "lot": ready["lot"].pk}
    assert client.post(url, fields)["Location"] == _session_url("session", session)
    session.refresh_from_db()
    assert session.state in ("dosed", "monitoring")
    assert AuditEvent.objects.filter(action="create", patient=ready["patient_a"]).exists()


def test_an_adverse_event_is_recorded_and_an_other_one_must_be_described(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = dosed(ready, minutes_ago=10)
    client = login(client, ready["nurse"])
    url = _session_url("adverse_event", session)
    refused = client.post(
        url, {"kind": "other", "severity": "mild", "onset_at": _now(ready)}, follow=True
    )
    assert "Describe an adverse event of kind other." in refused.text
    assert not session.adverse_events.exists()
    fields = {"kind": "nausea", "severity": "mild", "onset_at": _now(ready), "action": "Rest"}
    client.post(url, fields)
    assert session.adverse_events.get().kind == "nausea"


def test_the_therapist_writes_the_note_and_billing_cannot(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = dosed(ready, minutes_ago=10)
    url = _session_url("note", session)
    assert login(client, ready["billing"]).post(url, {"intention": "x"}).status_code in (403, 404)
    client = login(client, ready["therapist"])
    response = client.post(url, {"intention": "Grief", "music": "on"})
    assert response["Location"] == _session_url("session", session)
    assert session.notes.get().intention == "Grief"
    therapist = ready["therapist"]
    therapist.language = "fr"
    therapist.save(update_fields=["language"])
    page = login(client, therapist).post(url, {"intention": "Deuil"}, follow=True)
    assert '<li class="success">Note enregistrée.</li>' in page.text


def test_a_session_is_stopped_only_with_a_reason(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = checked_in(ready)
    client = login(client, ready["nurse"])
    url = _session_url("stop", session)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    session.refresh_from_db()
    assert session.state == "checked_in"
    client.post(url, {"reason": "Patient unwell on arrival"})
    session.refresh_from_db()
    assert session.state == "stopped"


def test_serious_outcomes_are_offered_and_shown_in_the_nurses_language(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = dosed(ready, minutes_ago=10)
    nurse = ready["nurse"]
    nurse.language = "fr"
    nurse.save()
    client = login(client, nurse)
    page = client.get(_session_url("session", session)).text
    assert "Hospitalisation" in page and "Met la vie en danger" in page
    assert "Hospitalization" not in page and "Life threatening" not in page
    fields = {
        "kind": "raised_blood_pressure",
        "severity": "serious",
        "onset_at": _now(ready),
        "serious_outcomes": ["hospitalization"],
    }
    client.post(_session_url("adverse_event", session), fields)
    assert session.adverse_events.get().serious_outcomes == ["hospitalization"]
    listed = client.get(_session_url("session", session)).text
    assert "(Hospitalisation)" in listed


def test_the_ordered_dose_and_its_units_read_as_one_sentence(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = cleared(ready)
    page = login(client, ready["nurse"]).get(_session_url("session", session)).text
    assert "Ordered: 100 mg by" in page
    assert '. <strong class="units">' not in page and "</strong>.</p>" in page


def test_a_refused_adverse_event_comes_back_open_with_what_was_typed(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    session = dosed(ready, minutes_ago=10)
    client = login(client, ready["nurse"])
    fields = {
        "kind": "other",
        "severity": "moderate",
        "onset_at": _now(ready),
        "action": "Lights dimmed, BP again in 15 minutes",
    }
    refused = client.post(_session_url("adverse_event", session), fields)
    assert refused.status_code == 400
    page = refused.text
    assert "Describe an adverse event of kind other." in page
    assert "<details open><summary>Record an adverse event" in page
    assert "Lights dimmed, BP again in 15 minutes" in page
    assert not session.adverse_events.exists()


def _reading_at(client: Any, ready: dict[str, Any], session: Any, minutes_ago: int) -> None:
    at = timezone.localtime(
        timezone.now() - timedelta(minutes=minutes_ago), ready["montreal"].tzinfo
    )
    client.post(
        reverse("dosing:vitals", kwargs={"session_id": session.pk}),
        {"systolic": 120, "diastolic": 80, "pulse": 70, "spo2": 98}
        | {"taken_at": at.strftime("%Y-%m-%dT%H:%M")},
    )


def test_a_missed_reading_needs_a_reason_shown_on_the_session_page(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    from freezegun import freeze_time

    session = dosed(ready, minutes_ago=125)
    login(client, ready["nurse"])
    _reading_at(client, ready, session, 125)
    _reading_at(client, ready, session, 2)
    url = reverse("dosing:session", kwargs={"session_id": session.pk})
    assert "A scheduled reading was not taken: 40 min after the dose." in client.get(url).text
    observed = {"alert_and_oriented": "on", "walking_steadily": "on", "escort_present": "on"}
    discharge = reverse("dosing:discharge", kwargs={"session_id": session.pk})
    refused = client.post(discharge, observed)
    assert refused.status_code == 400
    assert "The reading due 40 minutes after the dose was not taken." in refused.text
    why = "Asleep at 40 min, woken at 60 min: stable."
    assert client.post(discharge, observed | {"missed_reason": why}).status_code == 302
    page = client.get(url).text
    assert f"Discharged without the scheduled reading at 40 min after the dose. Reason: {why}" in (
        page.replace("&#x27;", "'")
    )
    assert "125 minutes after the dose" in page and "since the dose" not in page
    with freeze_time(timezone.now() + timedelta(hours=3)):
        later = login(client, ready["nurse"]).get(url).text
    assert "125 minutes after the dose" in later and "since the dose" not in later


def test_a_session_stopped_after_the_dose_stops_its_clock(
    ready: dict[str, Any], client: Any, login: Any
) -> None:
    from freezegun import freeze_time

    from kapclinic.dosing import services

    session = dosed(ready, minutes_ago=50)
    services.stop_session(by=ready["nurse"], session_id=session.pk, reason="Patient asked to stop.")
    url = reverse("dosing:session", kwargs={"session_id": session.pk})
    with freeze_time(timezone.now() + timedelta(hours=2)):
        page = login(client, ready["nurse"]).get(url).text
    assert "50 minutes after the dose" in page and "since the dose" not in page
    assert "Ended at" in page
