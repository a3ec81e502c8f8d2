"""The dosing pages: who sees a session, what a refusal looks like, the order page."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import Enrolment
from kapclinic.dosing.models import DosingSession, Order
from tests.dosing.conftest import checked_in, dosed, with_checks


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
    assert "Saisissez un nombre" not in page
    assert Order.objects.count() == 1
