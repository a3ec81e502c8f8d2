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


def test_a_physician_signs_the_determination_over_http(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    """The sign form: a refusal comes back as a message, a signature moves the referral on,
    and a nurse is refused by the route (403) before any service is called."""
    from kapclinic.referrals.models import Status
    from kapclinic.screening.models import Determination
    from kapclinic.screening.workflow import start_screening, update_screening
    from tests.factories import condition, screening_facts

    patient, referral = network["patient_a"], network["referral"]
    referral.status = Status.CONTACTED
    referral.save()
    screening = start_screening(
        by=network["nurse"], patient=patient, indication=condition("addiction"), referral=referral
    )
    update_screening(
        by=network["nurse"],
        screening=screening,
        facts=screening_facts(screening, history=["psychosis"]),
    )
    url = reverse("screening:sign", kwargs={"patient_id": patient.pk})
    page = reverse("screening:screening", kwargs={"patient_id": patient.pk})

    assert login(client, network["nurse"]).post(url, {"decision": "eligible"}).status_code == 403
    client = login(client, network["physician"])
    refused = client.post(url, {"decision": "eligible"}, follow=True)
    assert refused.redirect_chain[-1][0] == page
    assert "needs a written justification" in refused.content.decode()
    assert not Determination.objects.exists()
    assert "Choose a decision." in client.post(url, {}, follow=True).content.decode()

    signed = client.post(
        url,
        {"decision": "eligible", "justification": "Single drug-induced episode long ago."},
        follow=True,
    )
    assert "Determination signed." in signed.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
