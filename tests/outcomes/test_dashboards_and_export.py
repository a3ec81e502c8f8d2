"""Clinic dashboards on a known data set, who reads them, and the research export: only with
research consent, with no identifier in it, audited as an export."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.care.models import Consent, ConsentKind
from kapclinic.care.services import enrol
from kapclinic.outcomes.dashboards import DashboardQuery, dashboard, dashboard_clinics
from kapclinic.outcomes.export import research_export
from tests.factories import PatientFactory, UserFactory, signed_eligible
from tests.outcomes.conftest import answered

# baseline, latest (None: no later score) for five Montreal patients on the PHQ-9
KNOWN = [(20, 10), (20, 11), (10, 4), (0, 0), (16, None)]


@pytest.fixture
def cohort(network: dict[str, Any], programs: dict[str, Any]) -> list[Any]:
    patients = []
    for number, (baseline, latest) in enumerate(KNOWN):
        patient = PatientFactory(
            clinic=network["montreal"],
            legal_given_name=f"Zoé{number}",
            legal_family_name="Tremblay-Secret",
            health_number=f"TREZ8506151{number}",
            health_number_province="QC",
        )
        signed_eligible(patient)
        enrolment = enrol(by=network["intake"], patient=patient, program=programs["standard"])
        answered(patient, "PHQ-9", baseline, at=enrolment.enrolled_at - timedelta(days=2))
        if latest is not None:
            answered(patient, "PHQ-9", latest, at=enrolment.enrolled_at + timedelta(days=40))
        patients.append(patient)
    return patients


@pytest.fixture
def director(network: dict[str, Any]) -> Any:
    return UserFactory(
        role="physician",
        is_medical_director=True,
        network_wide=True,
        clinics=[network["montreal"]],
    )


def _query(**changes: Any) -> DashboardQuery:
    today = timezone.localdate()
    fields = {
        "instrument": "PHQ-9",
        "start": today - timedelta(days=30),
        "end": today + timedelta(days=60),
        "group_by": "clinic",
    } | changes
    return DashboardQuery(**fields)


def test_the_dashboard_numbers_on_a_known_data_set(
    cohort: list[Any], director: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        rows = dashboard(by=director, query=_query())
    [row] = rows
    assert row.group == "Montréal"
    assert (row.n, row.with_latest) == (5, 4)
    assert row.baseline_mean == (20 + 20 + 10 + 0 + 16) / 5  # 13.2
    assert row.latest_mean == 6.2  # (10 + 11 + 4 + 0) / 4 = 6.25, rounded half to even
    assert row.mean_change == round((-10 - 9 - 6 + 0) / 4, 1)
    # response: 20->10 (exactly 50%) and 10->4, not 20->11; baseline 0 is left out
    assert (row.responders, row.response_base, row.response_rate) == (2, 3, 66.7)
    # remission (PHQ-9 < 5): 10->4 and 0->0, among the four with a later score
    assert (row.remitters, row.with_latest, row.remission_rate) == (2, 4, 50.0)
    assert AuditEvent.objects.filter(actor=director, detail__dashboard="PHQ-9").exists()


def test_grouped_by_program_and_a_period_without_enrolments(
    cohort: list[Any], director: Any
) -> None:
    [row] = dashboard(by=director, query=_query(group_by="program"))
    assert (row.group, row.n) == ("Standard program", 5)
    past = timezone.localdate() - timedelta(days=400)
    assert dashboard(by=director, query=_query(start=past, end=past + timedelta(days=30))) == []


def test_a_clinic_admin_sees_only_their_clinics(cohort: list[Any], network: dict[str, Any]) -> None:
    admin_elsewhere = UserFactory(role="clinic_admin", clinics=[network["vancouver"]])
    assert dashboard(by=admin_elsewhere, query=_query()) == []
    assert dashboard(by=network["clinic_admin"], query=_query())[0].n == 5


@pytest.mark.parametrize(
    ("who", "status"),
    [("director", 200), ("clinic_admin", 200), ("physician", 403), ("nurse", 403)],
)
def test_only_the_medical_director_and_clinic_admins_open_the_dashboards(
    who: str, status: int, director: Any, network: dict[str, Any], client: Any, login: Any
) -> None:
    user = director if who == "director" else network[who]
    response = login(client, user).get(reverse("outcomes:dashboards"))
    assert response.status_code == status
    if who == "physician":
        assert "Only the medical director and clinic admins" in response.content.decode()


def test_the_dashboard_page_shows_the_chart_and_the_numbers_in_french(
    cohort: list[Any], director: Any, client: Any, login: Any
) -> None:
    director.language = "fr"
    director.save()
    today = timezone.localdate()
    period = {"start": today - timedelta(days=30), "end": today + timedelta(days=60)}
    url = reverse("outcomes:dashboards")
    html = login(client, director).get(url, {"instrument": "PHQ-9", "group_by": "clinic", **period})
    html = html.content.decode()
    assert "<svg" in html and "Taux de réponse" in html and "66,7 %" in html


def _consent_to_research(patient: Any, by: Any) -> None:
    Consent.objects.create(
        patient=patient,
        kind=ConsentKind.RESEARCH,
        text_version="2026-01",
        signed_name=patient.display_name,
        recorded_by=by,
    )


def test_the_export_holds_only_consenting_patients_and_no_identifier(
    cohort: list[Any], director: Any, network: dict[str, Any]
) -> None:
    # given two of five consented, and one of them withdrew
    for patient in cohort[:3]:
        _consent_to_research(patient, network["nurse"])
    withdrawn = Consent.objects.get(patient=cohort[2])
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    # when the medical director exports
    result = research_export(by=director, clinics=dashboard_clinics(director))
    # then two patients, four scores, under codes, days from baseline
    assert (result.patients, result.rows) == (2, 4)
    lines = result.csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("participant,program,indication,instrument,day,total")
    days = sorted(line.split(",")[4] for line in lines[1:])
    assert days == ["0", "0", "42", "42"]
    # and no identifier of anyone
    for patient in cohort:
        for identifier in (
            patient.legal_given_name,
            patient.legal_family_name,
            patient.health_number,
            patient.date_of_birth.isoformat(),
        ):
            assert identifier not in result.csv
    for response_day in {timezone.localdate().isoformat(), str(timezone.now().year)}:
        assert response_day not in result.csv
    # and a new code for each patient in every export
    again = research_export(by=director, clinics=dashboard_clinics(director))
    codes = {line.split(",")[0] for line in lines[1:]}
    assert codes.isdisjoint({line.split(",")[0] for line in again.csv.splitlines()[1:]})
    # and each patient exported is audited as an export
    exported = AuditEvent.objects.filter(action=Action.EXPORT, actor=director)
    assert set(exported.values_list("patient_id", flat=True)) == {cohort[0].pk, cohort[1].pk}


def test_only_the_medical_director_downloads_the_export(
    cohort: list[Any], director: Any, network: dict[str, Any], client: Any, login: Any
) -> None:
    refused = login(client, network["physician"]).post(reverse("outcomes:export"))
    assert refused.status_code == 403
    assert "Only the medical director exports" in refused.content.decode()
    response = login(client, director).post(reverse("outcomes:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode().lstrip("\ufeff").startswith("participant,")


def test_the_dashboard_page_pins_its_queries(
    cohort: list[Any], director: Any, client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    """The page over five patients; the dashboard numbers themselves read a fixed few queries
    whatever the cohort's size (test_the_dashboard_numbers_on_a_known_data_set)."""
    client = login(client, director)
    with django_assert_num_queries(5):
        page = client.get(reverse("outcomes:dashboards"))
    assert page.status_code == 200
