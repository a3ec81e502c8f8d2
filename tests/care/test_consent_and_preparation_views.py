"""Consents recorded by staff with a PDF or signed in the portal; materials marked read."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kapclinic.audit.models import AuditEvent
from kapclinic.care.models import Consent, ConsentText
from kapclinic.care.services import enrol
from tests.factories import seeded_programs, signed_eligible

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_staff_record_a_signed_pdf_consent_then_withdraw_it_with_a_reason(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    seeded_programs()
    patient = network["patient_a"]
    url = reverse("care:consents", kwargs={"patient_id": patient.pk})
    client = login(client, network["nurse"])
    text = ConsentText.objects.get(kind="treatment")
    not_pdf = client.post(
        url,
        {
            "text": text.pk,
            "signed_name": "Canary Zzyzx-Patient",
            "document": SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n...."),
        },
    )
    assert "must be a PDF" in not_pdf.content.decode()
    client.post(
        url,
        {
            "text": text.pk,
            "signed_name": "Canary Zzyzx-Patient",
            "document": SimpleUploadedFile("consent.pdf", PDF),
        },
    )
    consent = Consent.objects.get(patient=patient)
    assert (consent.kind, consent.text_version) == ("treatment", "2026-01")
    document = client.get(
        reverse(
            "care:consent_document", kwargs={"patient_id": patient.pk, "consent_id": consent.pk}
        )
    )
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    withdraw = reverse("care:withdraw", kwargs={"patient_id": patient.pk, "consent_id": consent.pk})
    assert "Give the reason" in client.post(withdraw, {"reason": ""}, follow=True).content.decode()
    client.post(withdraw, {"reason": "Changed their mind"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Withdrawn" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(object_id=str(consent.pk), action="update").exists()


def test_the_patient_signs_in_the_portal_and_reads_the_materials(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    programs = seeded_programs()
    patient = network["patient_a"]
    signed_eligible(patient)
    enrolment = enrol(by=network["intake"], patient=patient, program=programs["standard"])
    client = login(client, network["patient_user"])
    home = client.get(reverse("portal:home")).content.decode()
    assert "Read and sign: Treatment" in home and "Safety on dosing days" in home
    sign = reverse("portal:consent", kwargs={"kind": "treatment"})
    assert "stop at any time" in client.get(sign).content.decode()
    unticked = client.post(sign, {"signed_name": "Canary Zzyzx-Patient"})
    assert unticked.status_code == 200 and not Consent.objects.exists()
    client.post(sign, {"signed_name": "Canary Zzyzx-Patient", "agree": "on"})
    consent = Consent.objects.get()
    assert (consent.recorded_by, consent.text_version, consent.document.name) == (
        network["patient_user"],
        "2026-01",
        "",
    )
    assignment = enrolment.materials.get(material__code="dosing-day-safety")
    page = client.get(reverse("portal:material", kwargs={"assignment_id": assignment.pk}))
    assert "Arrange a ride home" in page.content.decode()
    client.post(reverse("portal:material", kwargs={"assignment_id": assignment.pk}))
    assignment.refresh_from_db()
    assert assignment.read_at is not None
    home = client.get(reverse("portal:home")).content.decode()
    assert "Read and sign: Treatment" not in home and "Safety on dosing days" not in home


def test_the_chart_shows_the_journey_timeline(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    programs = seeded_programs()
    patient = network["patient_a"]
    signed_eligible(patient)
    enrol(by=network["intake"], patient=patient, program=programs["standard"])
    chart = login(client, network["nurse"]).get(
        reverse("patients:chart", kwargs={"patient_id": patient.pk})
    )
    text = chart.content.decode()
    assert "Journey" in text and "Standard program" in text and "Enrolled" in text


def test_only_the_medical_director_edits_a_program_and_the_change_is_audited(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    programs = seeded_programs()
    standard = programs["standard"]
    url = reverse("care:program", kwargs={"program_id": standard.pk})
    fields = {
        "name_en": standard.name_en,
        "name_fr": standard.name_fr,
        "min_weeks": 4,
        "max_weeks": 8,
        "preparation_sessions": 2,
        "dosing_sessions": 6,
        "integration_sessions": 6,
        "days_between_dosing": 7,
        "description_en": "x",
        "description_fr": "x",
    }
    physician = network["physician"]
    assert "Only the medical director" in login(client, physician).get(url).content.decode()
    assert client.post(url, fields).status_code == 403
    physician.is_medical_director = physician.network_wide = True
    physician.save()
    bad = client.post(url, fields | {"max_weeks": 2}).content.decode()
    assert "cannot be shorter than the shortest" in bad
    client.post(url, fields)
    standard.refresh_from_db()
    assert (standard.max_weeks, standard.dosing_sessions) == (8, 6)
    event = AuditEvent.objects.get(object_type="care.programtemplate")
    assert event.detail["changed"]["dosing_sessions"] == "6"


def test_a_portal_signature_must_be_the_patients_name_and_each_consent_shows_how_it_was_given(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    seeded_programs()
    patient = network["patient_a"]
    signed_eligible(patient)
    enrol(by=network["intake"], patient=patient, program=seeded_programs()["standard"])
    portal = login(client, network["patient_user"])
    sign = reverse("portal:consent", kwargs={"kind": "treatment"})
    refused = portal.post(sign, {"signed_name": "Mickey Mouse", "agree": "on"})
    assert refused.status_code == 200 and not Consent.objects.exists()
    assert "Sign with your own full name" in refused.content.decode()
    # Accents, case and order aside, the patient's own name is their signature.
    portal.post(sign, {"signed_name": "  zzyzx-patient   CANARY ", "agree": "on"})
    assert Consent.objects.get().signed_name.strip().lower() == "zzyzx-patient   canary"
    portal.logout()

    nurse = login(client, network["nurse"])
    url = reverse("care:consents", kwargs={"patient_id": patient.pk})
    text = ConsentText.objects.get(kind="recording")
    nurse.post(url, {"text": text.pk, "signed_name": "Canary Zzyzx-Patient"})
    assert Consent.objects.count() == 2
    with django_assert_num_queries(6):
        html = nurse.get(url).content.decode()
    assert html.count("Signed by the patient in the portal") == 1
    assert "Recorded by staff without a signed document" in html
