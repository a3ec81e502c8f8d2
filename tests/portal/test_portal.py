"""The invited patient sets a password and answers in the portal, in their language."""

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kapclinic.screening.models import QuestionnaireResponse, Source
from kapclinic.screening.services import assign_questionnaires, invite_to_portal


def test_an_invited_patient_sets_a_password_and_answers_in_french(
    network: dict[str, Any], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories import PatientFactory

    patient = PatientFactory(
        clinic=network["montreal"], email="jade@example.test", preferred_language="fr"
    )
    assign_questionnaires(by=network["nurse"], patient=patient, instruments=["GAD-7"])
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_portal(by=network["nurse"], patient=patient)
    link = re.search(r"http\S+/portal/welcome/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("8000", 1)[1]
    page = client.get(path)
    assert "Choisissez un mot de passe" in page.content.decode()
    client.post(
        path,
        {"new_password1": "a-long-enough-passphrase", "new_password2": "a-long-enough-passphrase"},
    )
    home = client.get(reverse("portal:home"))
    assert "GAD-7" in home.content.decode()
    form = client.get(reverse("portal:answer", kwargs={"instrument": "GAD-7"})).content.decode()
    assert "Au cours des 14 derniers jours" in form
    client.post(
        reverse("portal:answer", kwargs={"instrument": "GAD-7"}),
        {f"item_{n}": 0 for n in range(1, 8)},
    )
    response = QuestionnaireResponse.objects.get(patient=patient)
    assert (response.source, response.language, response.band) == (Source.PORTAL, "fr", "minimal")
    assert client.get(path).status_code == 410  # the invitation link works once


def test_a_patient_sees_only_their_own_portal(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    response = login(client, network["patient_user"]).get(reverse("portal:home"))
    assert response.status_code == 200
    assert login(client, network["patient_user"]).get(reverse("patients:search")).status_code == 403


def test_a_patient_account_without_a_record_sees_nothing(db: None, client: Any, login: Any) -> None:
    from tests.factories import UserFactory

    orphan = UserFactory(role="patient")
    assert login(client, orphan).get(reverse("portal:home")).status_code == 404


# Each portal page costs the same with one questionnaire waiting or three.
PORTAL_SCREENS = {
    "home": 9,
    "answer": 3,
    "consent": 4,
    "receipts": 5,
    "welcome": 1,
    "link": 2,
    "questionnaire": 1,
}


@pytest.mark.parametrize("waiting", [1, 3])
@pytest.mark.parametrize("name", list(PORTAL_SCREENS))
def test_each_portal_page_pins_its_queries(
    name: str,
    waiting: int,
    network: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    from kapclinic.screening.services import issue_access_link
    from tests.factories import seeded_programs

    seeded_programs()
    patient = network["patient_a"]
    instruments = ["GAD-7", "PHQ-9", "PCL-5"][:waiting]
    assign_questionnaires(by=network["nurse"], patient=patient, instruments=instruments)
    token = issue_access_link(by=network["nurse"], patient=patient)
    kwargs = {
        "answer": {"instrument": "GAD-7"},
        "consent": {"kind": "treatment"},
        "welcome": {"uidb64": "MQ", "token": "not-a-real-token"},
        "link": {"token": token},
        "questionnaire": {"token": token, "instrument": "GAD-7"},
    }.get(name, {})
    if name not in ("welcome", "link", "questionnaire"):
        client = login(client, network["patient_user"])
    with django_assert_num_queries(PORTAL_SCREENS[name]):
        page = client.get(reverse(f"portal:{name}", kwargs=kwargs))
    assert page.status_code == (410 if name == "welcome" else 200)


def test_a_patient_answers_by_single_use_link_and_a_missing_answer_is_shown(
    network: dict[str, Any], client: Any
) -> None:
    from kapclinic.screening.services import issue_access_link

    patient = network["patient_a"]
    assign_questionnaires(by=network["nurse"], patient=patient, instruments=["GAD-7"])
    token = issue_access_link(by=network["nurse"], patient=patient)
    url = reverse("portal:questionnaire", kwargs={"token": token, "instrument": "GAD-7"})
    missing = client.post(url, {f"item_{n}": 1 for n in range(1, 7)})
    assert missing.status_code == 200
    assert "Choose an answer for this question." in missing.text
    assert not QuestionnaireResponse.objects.exists()
    client.post(url, {f"item_{n}": 1 for n in range(1, 8)})
    response = QuestionnaireResponse.objects.get(patient=patient)
    assert (response.source, response.band) == (Source.LINK, "mild")


def test_a_closed_link_takes_no_answer(network: dict[str, Any], client: Any) -> None:
    url = reverse("portal:questionnaire", kwargs={"token": "not-a-token", "instrument": "GAD-7"})
    response = client.post(url, {f"item_{n}": 1 for n in range(1, 8)})
    assert response.status_code == 410
    assert not QuestionnaireResponse.objects.exists()


def test_a_material_page_pins_its_queries_and_is_marked_read(
    network: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    from kapclinic.care.models import Enrolment, Material, MaterialAssignment
    from tests.factories import seeded_programs

    programs = seeded_programs()
    enrolment = Enrolment.objects.create(
        patient=network["patient_a"],
        program=programs["standard"],
        enrolled_by=network["physician"],
        stage="prepare",
    )
    assignment = MaterialAssignment.objects.create(
        enrolment=enrolment, material=Material.objects.filter(active=True).first()
    )
    url = reverse("portal:material", kwargs={"assignment_id": assignment.pk})
    client = login(client, network["patient_user"])
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    page = client.post(url, follow=True)
    assert "Thank you: marked as read." in page.text
    assignment.refresh_from_db()
    assert assignment.read_at is not None


@pytest.mark.parametrize(
    ("language", "count", "go_to"),
    [
        ("en", "5 questions have no answer yet.", "Go to question 3"),
        ("fr", "5 questions sont encore sans réponse.", "Aller à la question 3"),
    ],
)
def test_missing_answers_are_summed_up_at_the_top_with_a_link_to_the_first(
    language: str, count: str, go_to: str, network: dict[str, Any], client: Any, login: Any
) -> None:
    user = network["patient_user"]
    user.language = language
    user.save(update_fields=["language"])
    assign_questionnaires(by=network["nurse"], patient=network["patient_a"], instruments=["GAD-7"])
    url = reverse("portal:answer", kwargs={"instrument": "GAD-7"})
    page = login(client, user).post(url, {"item_1": 0, "item_2": 1}).content.decode()
    summary = page.index('id="error-summary"')
    assert summary < page.index('id="question-item_1"')  # at the top, before the questions
    assert count in page and go_to in page
    assert 'href="#question-item_3"' in page and 'id="question-item_3"' in page
    assert not QuestionnaireResponse.objects.filter(patient=network["patient_a"]).exists()
