"""A screening opened from a referral starts from what the referrer reported, marked as such,
and the physician can still change every fact."""

from typing import Any

from django.urls import reverse

from kapclinic.referrals.models import Status
from kapclinic.screening.models import Screening
from kapclinic.screening.workflow import findings_for, start_screening, update_screening
from tests.factories import condition, screening_facts


def referred(network: dict[str, Any], **facts: Any) -> Any:
    referral = network["referral"]
    for name, value in facts.items():
        setattr(referral, name, value)
    referral.status = Status.CONTACTED
    referral.save()
    return referral


def test_the_referrals_contraindications_and_medications_are_the_starting_facts(
    network: dict[str, Any],
) -> None:
    referral = referred(
        network,
        contraindications=["untreated_hypertension", "heart_disease_or_stroke"],
        contraindication_other="Glaucoma",
        medications="sertraline 100 mg\nlisinopril 10 mg",
        history="Two failed SSRI trials.",
    )
    screening = start_screening(
        by=network["nurse"],
        patient=network["patient_a"],
        indication=condition("depression"),
        referral=referral,
    )
    screening.refresh_from_db()
    assert screening.history == [
        "untreated_hypertension",
        "cardiovascular_disease",
        "cerebrovascular_disease",
    ]
    assert screening.medications == "sertraline 100 mg\nlisinopril 10 mg"
    assert "Two failed SSRI trials." in screening.psychiatric_history
    assert "Glaucoma" in screening.psychiatric_history
    assert (screening.pregnant, screening.nursing) == (False, False)
    # The findings start from the referral's word: an absolute contraindication already shows.
    assert findings_for(screening).outcome == "ineligible"


def test_pregnant_or_nursing_starts_both_facts_for_the_physician_to_narrow(
    network: dict[str, Any],
) -> None:
    referral = referred(network, contraindications=["pregnant_or_nursing"])
    screening = start_screening(
        by=network["nurse"],
        patient=network["patient_a"],
        indication=condition("depression"),
        referral=referral,
    )
    assert (screening.pregnant, screening.nursing) == (True, True)
    update_screening(
        by=network["physician"],
        screening=screening,
        facts=screening_facts(screening, pregnant=False),
    )
    screening.refresh_from_db()
    assert (screening.pregnant, screening.nursing) == (False, True)


def test_without_a_referral_the_screening_starts_empty(network: dict[str, Any]) -> None:
    screening = start_screening(
        by=network["nurse"], patient=network["patient_a"], indication=condition("depression")
    )
    assert (screening.history, screening.medications, screening.pregnant) == ([], "", False)


def test_the_form_is_pre_filled_marked_from_the_referral_and_stays_editable(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    referred(network, contraindications=["mania"], medications="lithium 300 mg")
    client = login(client, network["physician"])
    patient = network["patient_a"]
    client.post(
        reverse("screening:start", kwargs={"patient_id": patient.pk}),
        {"indication": condition("depression").pk},
    )
    url = reverse("screening:screening", kwargs={"patient_id": patient.pk})
    html = client.get(url).content.decode()
    assert "lithium 300 mg</textarea>" in html
    assert 'value="mania" id="id_history_1" checked' in html or (
        'value="mania"' in html and "checked" in html
    )
    assert "From the referral: History of mania" in html
    assert "From the referral." in html
    response = client.post(
        url,
        {"indication": condition("depression").pk, "medications": "none now", "history": []},
    )
    assert response.status_code == 302
    screening = Screening.objects.get(patient=patient)
    assert (screening.medications, screening.history) == ("none now", [])
    html = client.get(url).content.decode()
    assert "none now</textarea>" in html
    assert "From the referral: History of mania" in html  # what the referral said stays in view
