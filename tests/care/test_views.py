"""The journey page: enrol, read why a move is refused, see the timeline."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.care.models import ProgramTemplate
from tests.factories import seeded_programs, signed_eligible


def test_the_journey_page_explains_a_refused_move_and_shows_the_timeline(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    seeded_programs()
    patient = network["patient_a"]
    client = login(client, network["nurse"])
    url = reverse("care:journey", kwargs={"patient_id": patient.pk})
    enrol = reverse("care:enrol", kwargs={"patient_id": patient.pk})
    program = {"program": ProgramTemplate.objects.get(code="standard").pk}
    refused = client.post(enrol, program, follow=True)
    assert refused.status_code == 200 and not patient.enrolments.exists()
    assert "before a physician signs an eligible determination" in refused.content.decode()
    signed_eligible(patient)
    client.post(enrol, program)
    signed_eligible(patient, decision="eligible_once_managed")  # a re-screening, signed later
    refused = client.post(
        reverse("care:move", kwargs={"patient_id": patient.pk}), {"to": "prepare"}, follow=True
    )
    assert "eligible once a condition is managed" in refused.content.decode()
    moved = client.post(
        reverse("care:move", kwargs={"patient_id": patient.pk}), {"to": "discharged"}, follow=True
    )
    assert '<li class="success">Moved to the Discharged stage.</li>' in moved.text
    html = client.get(url).content.decode()
    assert "Connect → Discharged" in html


def test_a_french_speaking_nurse_reads_the_program_the_stages_and_the_refusal_in_french(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    seeded_programs()
    patient, nurse = network["patient_a"], network["nurse"]
    nurse.language = "fr"
    nurse.save(update_fields=["language"])
    client = login(client, nurse)
    signed_eligible(patient)
    client.post(
        reverse("care:enrol", kwargs={"patient_id": patient.pk}),
        {"program": ProgramTemplate.objects.get(code="standard").pk},
    )
    signed_eligible(patient, decision="not_eligible")
    refused = client.post(
        reverse("care:move", kwargs={"patient_id": patient.pk}), {"to": "prepare"}, follow=True
    )
    html = refused.content.decode()
    assert "La dernière décision est : non admissible." in html
    assert "Programme standard" in html and "Standard program" not in html
    assert '<option value="prepare">Préparation</option>' in html
    assert '<span class="stage">Premier contact</span>' in html


CARE_SCREENS = {"programs": 3, "program": 3, "journey": 7}


@pytest.mark.parametrize("name", list(CARE_SCREENS))
def test_each_care_screen_pins_its_queries(
    name: str, network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    programs = seeded_programs()
    patient = network["patient_a"]
    signed_eligible(patient)
    client = login(client, network["physician"])
    client.post(
        reverse("care:enrol", kwargs={"patient_id": patient.pk}),
        {"program": programs["standard"].pk},
    )
    kwargs = {
        "programs": {},
        "program": {"program_id": programs["standard"].pk},
        "journey": {"patient_id": patient.pk},
    }[name]
    with django_assert_num_queries(CARE_SCREENS[name]):
        page = client.get(reverse(f"care:{name}", kwargs=kwargs))
    assert page.status_code == 200


def test_only_the_medical_director_edits_a_program(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    standard = seeded_programs()["standard"]
    url = reverse("care:program", kwargs={"program_id": standard.pk})
    physician = network["physician"]
    client = login(client, physician)
    page = client.get(url)
    fields = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    assert client.post(url, fields).status_code == 403
    physician.is_medical_director = True
    physician.save()
    saved = client.post(url, fields, follow=True)
    assert "Program saved." in saved.text
