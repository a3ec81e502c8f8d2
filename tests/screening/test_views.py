"""The chart banner stays until a clinician documents the review."""

from typing import Any

from django.urls import reverse

from kapclinic.screening.models import SafetyFlag
from tests.screening.test_services import PHQ9_ITEM9_ONE, record


def test_the_banner_stays_until_the_review_is_documented(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    record(network["nurse"], patient, PHQ9_ITEM9_ONE)
    chart = reverse("patients:chart", kwargs={"patient_id": patient.pk})
    client = login(client, network["therapist"])
    assert "Safety: suicidal ideation reported" in client.get(chart).content.decode()
    flag = SafetyFlag.objects.get()
    review = reverse("screening:review", kwargs={"patient_id": patient.pk, "flag_id": flag.pk})
    client.post(review, {"note": "Called; safe; plan reviewed."})
    assert "Safety: suicidal ideation reported" not in client.get(chart).content.decode()


def test_staff_enter_answers_from_the_paper_form(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    patient = network["patient_a"]
    url = reverse("screening:enter", kwargs={"patient_id": patient.pk, "instrument": "GAD-7"})
    client = login(client, network["nurse"])
    missing = client.post(url, {f"item_{n}": 1 for n in range(1, 7)})
    assert "Choose an answer for this question." in missing.content.decode()
    client.post(url, {f"item_{n}": 2 for n in range(1, 8)})
    page = client.get(reverse("screening:questionnaires", kwargs={"patient_id": patient.pk}))
    assert page.context["responses"][0].band == "moderate"
