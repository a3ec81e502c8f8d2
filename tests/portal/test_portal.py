"""The invited patient sets a password and answers in the portal, in their language."""

import re
from typing import Any

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
