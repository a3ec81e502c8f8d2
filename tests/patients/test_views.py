"""Patient pages: errors next to fields without losing input, duplicates offered, flat queries."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.patients.models import Patient
from tests.factories import PatientFactory


def form_data(network: dict[str, Any], **overrides: str) -> dict[str, Any]:
    return {
        "clinic": network["montreal"].pk,
        "legal_given_name": "Jeanne",
        "legal_family_name": "Mance",
        "date_of_birth": "1986-11-12",
        "sex_at_birth": "female",
        "preferred_language": "fr",
        **overrides,
    }


def test_creating_a_patient_opens_the_new_chart(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    response = login(client, network["intake"]).post(
        reverse("patients:create"), form_data(network), follow=True
    )
    patient = Patient.objects.get(legal_family_name="Mance")
    assert response.redirect_chain[-1][0] == reverse(
        "patients:chart", kwargs={"patient_id": patient.pk}
    )
    assert "Patient record created." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date_of_birth": "2999-01-01"},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
        (
            {"health_number_province": "BC", "health_number": "9698658216"},
            "health_number",
            "check digit",
        ),
        (
            {"health_number": "9698658215"},
            "health_number_province",
            "Say which province issued this number.",
        ),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(
    overrides: dict[str, str],
    field: str,
    message: str,
    network: dict[str, Any],
    client: Any,
    login: Any,
) -> None:
    response = login(client, network["intake"]).post(
        reverse("patients:create"), form_data(network, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors)
    html = response.content.decode()
    assert 'value="Jeanne"' in html and 'value="Mance"' in html
    assert f'id="id_{field}_error"' in html
    assert not Patient.objects.filter(legal_family_name="Mance").exists()


def test_a_likely_duplicate_is_offered_and_can_be_overridden(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    existing = PatientFactory(
        clinic=network["montreal"],
        legal_given_name="Jeanne",
        legal_family_name="Mance",
        date_of_birth="1986-11-12",
    )
    client = login(client, network["intake"])
    warned = client.post(reverse("patients:create"), form_data(network))
    html = warned.content.decode()
    assert "A patient with the same name and date of birth already exists." in html
    assert reverse("patients:chart", kwargs={"patient_id": existing.pk}) in html
    confirmed = client.post(
        reverse("patients:create"), form_data(network, confirm_not_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Patient.objects.filter(legal_family_name="Mance").count() == 2


def test_the_chart_shows_the_header_and_audits_the_read(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.audit.models import Action, AuditEvent

    patient = network["patient_a"]
    response = login(client, network["nurse"]).get(
        reverse("patients:chart", kwargs={"patient_id": patient.pk})
    )
    html = response.content.decode()
    assert "Zzyzx-Patient, Canary" in html and "No alerts" in html
    assert (
        AuditEvent.objects.filter(
            action=Action.READ, patient=patient, actor=network["nurse"]
        ).count()
        == 1
    )


@pytest.mark.parametrize("count", [5, 60])
def test_search_page_queries_do_not_grow_with_patients(
    count: int, network: dict[str, Any], client: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    PatientFactory.create_batch(count, clinic=network["montreal"], legal_family_name="Bulk")
    client = login(client, network["intake"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("patients:search"), {"q": "Bulk"})
    assert len(response.context["patients"]) == min(count, 50)


CLINICAL_CONTENT = (
    "Safety: suicidal ideation reported",
    "Open safety flag",
    "Not enrolled in a program.",
    "Ketamine orders",
    "Sex at birth",
)


@pytest.mark.parametrize(
    ("role", "sees_clinical", "queries"),
    [
        ("intake", True, 12),
        ("physician", True, 12),
        ("nurse", True, 12),
        ("therapist", True, 12),
        ("billing", False, 4),
        ("clinic_admin", False, 4),
    ],
)
def test_each_role_reads_only_its_fields_of_the_chart(
    role: str,
    sees_clinical: bool,
    queries: int,
    network: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    """Billing and clinic admins read who the person is, not the safety banner, the alerts,
    the journey, sex and gender or the links to clinical pages (issue 11, item 5)."""
    from kapclinic.screening.models import Source
    from kapclinic.screening.services import record_response

    patient = network["patient_a"]
    patient.phone, patient.health_number = "514-555-0123", "ZZYX85061512"
    patient.health_number_province = "QC"
    patient.save()
    record_response(
        by=network["nurse"],
        patient=patient,
        instrument="PHQ-9",
        answers=[0, 0, 0, 0, 0, 0, 0, 0, 1],
        source=Source.STAFF,
        language="en",
    )
    client = login(client, network[role])
    url = reverse("patients:chart", kwargs={"patient_id": patient.pk})
    with django_assert_num_queries(queries):
        html = client.get(url).content.decode()
    assert "Zzyzx-Patient, Canary" in html and "514-555-0123" in html and "ZZYX85061512" in html
    for text in CLINICAL_CONTENT:
        assert (text in html) is sees_clinical, (role, text)


def test_the_field_rules_are_one_table_and_roles_without_charts_read_nothing() -> None:
    from kapclinic.accounts.roles import Role
    from kapclinic.patients.access import chart_fields

    class Someone:
        def __init__(self, role: str) -> None:
            self.role = role

    clinical = {"safety", "journey", "clinical_pages", "sex_and_gender"}
    assert not clinical & chart_fields(Someone(Role.BILLING))
    assert not clinical & chart_fields(Someone(Role.CLINIC_ADMIN))
    assert "emergency_contact" in chart_fields(Someone(Role.CLINIC_ADMIN))
    assert "emergency_contact" not in chart_fields(Someone(Role.BILLING))
    assert clinical <= chart_fields(Someone(Role.THERAPIST))
    for role in (Role.PATIENT, Role.REFERRER, Role.PRIVACY_OFFICER, ""):
        assert chart_fields(Someone(role)) == frozenset()


def test_the_chart_lists_the_letters_to_the_referrer_in_one_query(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    from kapclinic.sharedcare import services as letters

    patient = network["patient_a"]
    for _ in range(3):
        letters.draft_letter(by=network["physician"], patient=patient, kind="acknowledgement")
    released = letters.draft_letter(
        by=network["physician"], patient=patient, kind="acknowledgement"
    )
    letters.release_letter(by=network["physician"], letter_id=released.pk)
    released.refresh_from_db()
    client = login(client, network["physician"])
    url = reverse("patients:chart", kwargs={"patient_id": patient.pk})
    with django_assert_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count("Acknowledgement of receipt") == 4
    assert "Released" in html and released.released_at.strftime("%Y-%m-%d") in html
    assert (
        reverse("sharedcare:letter", kwargs={"patient_id": patient.pk, "letter_id": released.pk})
        in html
    )


@pytest.mark.parametrize("count", [5, 60])
def test_the_search_page_pins_its_queries_whatever_the_number_of_patients(
    count: int, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    PatientFactory.create_batch(count, clinic=network["montreal"], legal_family_name="Bulk")
    client = login(client, network["intake"])
    with django_assert_num_queries(4):
        page = client.get(reverse("patients:search"), {"q": "Bulk"})
    assert page.status_code == 200


def test_the_new_patient_form_pins_its_queries(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    client = login(client, network["intake"])
    with django_assert_num_queries(4):
        assert client.get(reverse("patients:create")).status_code == 200
