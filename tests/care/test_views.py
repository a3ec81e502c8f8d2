"""The journey page: enrol, read why a move is refused, see the timeline."""

from typing import Any

from django.urls import reverse

from kapclinic.care.models import ProgramTemplate
from tests.factories import seeded_programs


def test_the_journey_page_explains_a_refused_move_and_shows_the_timeline(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    seeded_programs()
    patient = network["patient_a"]
    client = login(client, network["nurse"])
    url = reverse("care:journey", kwargs={"patient_id": patient.pk})
    client.post(
        reverse("care:enrol", kwargs={"patient_id": patient.pk}),
        {"program": ProgramTemplate.objects.get(code="standard").pk},
    )
    refused = client.post(
        reverse("care:move", kwargs={"patient_id": patient.pk}), {"to": "prepare"}, follow=True
    )
    assert "has not signed the eligibility determination" in refused.content.decode()
    client.post(reverse("care:move", kwargs={"patient_id": patient.pk}), {"to": "discharged"})
    html = client.get(url).content.decode()
    assert "Connect → Discharged" in html
