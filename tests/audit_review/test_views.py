"""Audit pages: search by patient, user and date; the patient-access report is exact."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.billing.selectors import billable_services
from kapclinic.patients.selectors import patient_chart, search_patients
from kapclinic.referrals.selectors import intake_queue
from kapclinic.screening.selectors import open_tasks_of
from tests.billing.conftest import deliver, fee_schedule, sales_taxes
from tests.factories import PatientFactory, UserFactory, appointment_types
from tests.screening.test_services import PHQ9_ITEM9_ONE, record


def test_access_report_lists_exactly_who_viewed_the_record(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    # given: three people open A's chart, one finds A by search, someone opens B's chart
    for actor in ("nurse", "physician", "therapist"):
        patient_chart(by=network[actor], patient_id=patient.pk)
    search_patients(by=network["intake"], query="Zzyzx-Patient")
    director = network["physician"]
    director.is_medical_director = director.network_wide = True
    director.save()
    patient_chart(by=director, patient_id=network["patient_b"].pk)
    # when
    url = reverse("audit:patient_access", kwargs={"patient_id": patient.pk})
    response = login(client, network["privacy_officer"]).get(url)
    # then
    shown = [(e.actor, e.action) for e in response.context["events"]]
    assert shown == [
        (network["nurse"], Action.READ),
        (network["physician"], Action.READ),
        (network["therapist"], Action.READ),
        (network["intake"], Action.SEARCH),
    ]
    html = response.content.decode()
    assert network["therapist"].email in html


def test_a_page_of_the_intake_queue_that_showed_the_patient_is_in_the_access_report(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """The queue is audited as one event per page naming its patients (no single patient on
    the event): the report and the audit search by patient still find it."""
    shown = network["patient_a"]  # referred (the fixture), so on the queue's page
    other = PatientFactory(clinic=shown.clinic)  # not referred: on no page
    intake_queue(by=network["intake"])
    login(client, network["privacy_officer"])
    url = reverse("audit:patient_access", kwargs={"patient_id": shown.pk})
    response = client.get(url)
    assert [(e.actor, e.action) for e in response.context["events"]] == [
        (network["intake"], Action.SEARCH)
    ]
    assert "Intake queue (a page of the list)" in response.content.decode()
    found = client.get(reverse("audit:search"), {"patient": shown.pk}).context["events"]
    assert any(e.detail.get("list") == "intake_queue" for e in found)
    url = reverse("audit:patient_access", kwargs={"patient_id": other.pk})
    assert client.get(url).context["events"] == []


def test_access_report_is_itself_audited(network: dict[str, Any], client: Any, login: Any) -> None:
    url = reverse("audit:patient_access", kwargs={"patient_id": network["patient_a"].pk})
    login(client, network["clinic_admin"]).get(url)
    event = AuditEvent.objects.get(actor=network["clinic_admin"], action=Action.READ)
    assert event.detail == {"report": "patient_access"}


def test_a_clinic_admin_cannot_read_another_clinics_patient_trail(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    url = reverse("audit:patient_access", kwargs={"patient_id": network["patient_b"].pk})
    assert login(client, network["clinic_admin"]).get(url).status_code == 404


def test_audit_search_shows_only_the_events_of_the_searchers_clinics_patients(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """Scope follows the patient's clinic: a Montréal physician who also covers Vancouver
    opens a Vancouver chart; Montréal's admin and privacy officer do not see that event, and
    a Vancouver admin sees it (and a Montréal patient's events done by Vancouver staff)."""
    montreal_physician = network["physician"]
    montreal_physician.clinics.add(network["vancouver"])
    patient_chart(by=montreal_physician, patient_id=network["patient_b"].pk)
    patient_chart(by=montreal_physician, patient_id=network["patient_a"].pk)
    for role in ("clinic_admin", "privacy_officer"):
        found = login(client, network[role]).get(
            reverse("audit:search"), {"user": montreal_physician.email}
        )
        patients = {e.patient for e in found.context["events"]}
        assert patients == {network["patient_a"]}, role
        assert b"Other" not in found.content
    vancouver_admin = UserFactory(role="clinic_admin", clinics=[network["vancouver"]])
    found = login(client, vancouver_admin).get(
        reverse("audit:search"), {"user": montreal_physician.email}
    )
    assert {e.patient for e in found.context["events"]} == {network["patient_b"]}


def test_search_filters_by_user_and_date(network: dict[str, Any], client: Any, login: Any) -> None:
    patient = network["patient_a"]
    last_week = timezone.now() - timedelta(days=7)
    with freeze_time(last_week):
        patient_chart(by=network["nurse"], patient_id=patient.pk)
    patient_chart(by=network["physician"], patient_id=patient.pk)
    client = login(client, network["privacy_officer"])
    by_user = client.get(reverse("audit:search"), {"user": network["nurse"].email})
    assert [e.actor for e in by_user.context["events"]] == [network["nurse"]]
    today = timezone.localdate().isoformat()
    recent = client.get(reverse("audit:search"), {"patient": patient.pk, "start": today})
    assert [e.actor for e in recent.context["events"]] == [network["physician"]]


def test_search_by_user_is_on_the_actor_id_and_no_search_sorts_distinct_rows(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """By user: the indexed actor id, so a renamed user's earlier events are found too and
    no label is scanned; by date: no DISTINCT, so the page is cut by the index, not a sort."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nurse = network["nurse"]
    patient_chart(by=nurse, patient_id=network["patient_a"].pk)
    nurse.email = "renamed.nurse@example.test"
    nurse.save()
    client = login(client, network["clinic_admin"])
    with CaptureQueriesContext(connection) as queries:
        found = client.get(reverse("audit:search"), {"user": "Renamed.Nurse@example.test"})
        client.get(reverse("audit:search"), {"start": timezone.localdate().isoformat()})
    assert [e.actor for e in found.context["events"]] == [nurse]
    searches = [q["sql"] for q in queries.captured_queries if 'FROM "audit_auditevent"' in q["sql"]]
    assert len(searches) == 2
    assert not any("DISTINCT" in sql.upper() for sql in searches)
    assert '"audit_auditevent"."actor_id" IN' in searches[0]
    assert "actor_label" not in searches[0].split("WHERE", 1)[1]
    assert all("LIMIT 200" in sql for sql in searches)


def test_search_explains_a_reversed_date_range(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    response = login(client, network["privacy_officer"]).get(
        reverse("audit:search"), {"start": "2026-05-02", "end": "2026-05-01"}
    )
    assert "The end date is before the start date." in response.content.decode()
    assert response.context["events"] is None


# Each audit screen costs the same with one reader of patient A's chart or five.
AUDIT_SCREENS = {"search": 2, "patient_access": 5, "chain": 5}


@pytest.mark.parametrize("readers", [1, 5])
@pytest.mark.parametrize("name", list(AUDIT_SCREENS))
def test_each_audit_screen_pins_its_queries(
    name: str,
    readers: int,
    network: dict[str, Any],
    client: Any,
    login: Any,
    seal: Any,
    django_assert_num_queries: Any,
) -> None:
    patient = network["patient_a"]
    for _ in range(readers):
        reader = UserFactory(role="nurse", clinics=[network["montreal"]])
        patient_chart(by=reader, patient_id=patient.pk)
    seal()
    kwargs = {"patient_id": patient.pk} if name == "patient_access" else {}
    client = login(client, network["privacy_officer"])
    expected = AUDIT_SCREENS[name]
    if name == "patient_access" and not connection.features.supports_json_field_contains:
        expected += 1  # SQLite: the list events naming the patient are read apart (events_about)
    with django_assert_num_queries(expected):
        page = client.get(reverse(f"audit:{name}", kwargs=kwargs))
    assert page.status_code == 200


def _on_my_tasks(network: dict[str, Any]) -> tuple[Any, str]:
    record(network["nurse"], network["patient_a"], PHQ9_ITEM9_ONE)  # urgent tasks for clinicians
    therapist = network["therapist"]  # on patient A's care team
    open_tasks_of(by=therapist)
    return therapist, "My tasks"


def _on_the_search_page(network: dict[str, Any]) -> tuple[Any, str]:
    search_patients(by=network["nurse"], query="Zzyzx-Patient")
    return network["nurse"], "Patient search (the results)"


def _on_the_billing_lists(network: dict[str, Any]) -> tuple[Any, str]:
    sales_taxes()
    types = appointment_types()
    fee_schedule(network["montreal"], types)
    deliver({**network, "types": types})  # patient A's service, not yet invoiced
    billing = network["billing"]
    assert billable_services(by=billing, clinics=[network["montreal"]])
    return billing, "Services to invoice (billing)"


@pytest.mark.parametrize("show", [_on_my_tasks, _on_the_search_page, _on_the_billing_lists])
def test_a_list_page_that_showed_the_patient_is_in_their_access_report(
    show: Any, network: dict[str, Any], client: Any, login: Any
) -> None:
    """My tasks, the patient search and billing's list write one event for the page naming its
    patients (none per patient): the access report and the audit search by patient find it."""
    patient, other = network["patient_a"], PatientFactory(clinic=network["montreal"])
    viewer, list_label = show(network)
    listed = AuditEvent.objects.get(actor=viewer, detail__has_key="patients")
    assert (listed.patient, listed.detail["patients"]) == (None, [patient.pk])
    login(client, network["privacy_officer"])
    report = client.get(reverse("audit:patient_access", kwargs={"patient_id": patient.pk}))
    assert [e.pk for e in report.context["events"] if e.actor == viewer] == [listed.pk]
    assert list_label in report.content.decode()
    found = client.get(reverse("audit:search"), {"patient": patient.pk}).context["events"]
    assert listed in found
    url = reverse("audit:patient_access", kwargs={"patient_id": other.pk})
    assert listed not in client.get(url).context["events"]


def test_a_list_shown_by_someone_of_no_clinic_of_ours_is_in_our_patients_report(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """A list event names no single patient, yet it follows the patient's clinic as an event
    about the patient does: Montréal's admin sees that a network-wide director (on no
    Montréal staff list) found A by a search, and Vancouver's admin sees nothing of it."""
    director = UserFactory(
        role="physician", clinics=[], is_medical_director=True, network_wide=True
    )
    shown = search_patients(by=director, query="Zzyzx-Patient")
    assert shown == [network["patient_a"]]
    listed = AuditEvent.objects.get(actor=director, action=Action.SEARCH)
    patient = network["patient_a"]
    client = login(client, network["clinic_admin"])
    report = client.get(reverse("audit:patient_access", kwargs={"patient_id": patient.pk}))
    assert [e.pk for e in report.context["events"]] == [listed.pk]
    found = client.get(reverse("audit:search"), {"patient": patient.pk}).context["events"]
    assert [e.pk for e in found if e.actor == director] == [listed.pk]
    vancouver_admin = UserFactory(role="clinic_admin", clinics=[network["vancouver"]])
    found = login(client, vancouver_admin).get(reverse("audit:search"), {"patient": patient.pk})
    assert found.context["events"] == []
    found = client.get(reverse("audit:search"), {"user": director.email})
    assert found.context["events"] == []


def test_a_list_shown_by_our_staff_is_found_by_patient_even_of_another_clinic(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """What our staff saw stays ours to read (as any event about no patient): a Montréal nurse
    who also covers Vancouver finds B by a search; Montréal's admin finds that by B's id."""
    nurse = network["nurse"]
    nurse.clinics.add(network["vancouver"])
    assert search_patients(by=nurse, query="Other") == [network["patient_b"]]
    listed = AuditEvent.objects.get(actor=nurse, action=Action.SEARCH)
    client = login(client, network["clinic_admin"])
    found = client.get(reverse("audit:search"), {"patient": network["patient_b"].pk})
    assert [e.pk for e in found.context["events"]] == [listed.pk]
