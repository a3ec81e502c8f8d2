"""The chart banner stays until a clinician documents the review."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.screening.models import SafetyFlag
from tests.factories import PASSWORD
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
    refused = client.post(url, {"decision": "eligible", "password": PASSWORD}, follow=True)
    assert refused.redirect_chain[-1][0] == page
    assert "needs a written justification" in refused.content.decode()
    assert not Determination.objects.exists()
    assert "Choose a decision." in client.post(url, {}, follow=True).content.decode()
    assert "Choose a decision." in client.post(url, {"decision": ""}, follow=True).text
    shown = client.get(page).context["sign_form"]
    assert shown.fields["decision"].choices[0][0] == "" and not shown["decision"].value()

    signed = client.post(
        url,
        {
            "decision": "eligible",
            "justification": "Single drug-induced episode long ago.",
            "password": PASSWORD,
        },
        follow=True,
    )
    assert "Determination signed." in signed.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


# Each screening screen costs the same with one answered questionnaire (and flag) or five.
# The nurse started the screening, which assigned the PHQ-9: its flag is on her task list.
SCREENING_SCREENS = {"screening": 7, "tasks": 4, "questionnaires": 6, "enter": 4}


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("name", list(SCREENING_SCREENS))
def test_each_screening_screen_pins_its_queries(
    name: str,
    rows: int,
    network: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    from kapclinic.screening.workflow import start_screening
    from tests.factories import condition

    patient = network["patient_a"]
    start_screening(by=network["nurse"], patient=patient, indication=condition("depression"))
    for _ in range(rows):
        record(network["nurse"], patient, PHQ9_ITEM9_ONE)
        record(network["nurse"], patient, [1] * 7, instrument="GAD-7")
    kwargs = {"patient_id": patient.pk}
    kwargs = {} if name == "tasks" else kwargs
    if name == "enter":
        kwargs["instrument"] = "GAD-7"
    client = login(client, network["nurse"])
    with django_assert_num_queries(SCREENING_SCREENS[name]):
        page = client.get(reverse(f"screening:{name}", kwargs=kwargs))
    assert page.status_code == 200


def test_a_nurse_assigns_questionnaires_and_issues_a_single_use_link(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.screening.models import AccessLink, Assignment

    patient = network["patient_a"]
    kwargs = {"patient_id": patient.pk}
    client = login(client, network["nurse"])
    refused = client.post(reverse("screening:link", kwargs=kwargs), follow=True)
    assert "Assign a questionnaire first." in refused.text
    assert not AccessLink.objects.exists()
    page = client.post(
        reverse("screening:assign", kwargs=kwargs), {"instruments": ["GAD-7"]}, follow=True
    )
    assert "Questionnaires assigned." in page.text
    assert Assignment.objects.get(patient=patient).instrument == "GAD-7"
    page = client.post(reverse("screening:link", kwargs=kwargs), follow=True)
    assert "Single-use link" in page.text and "/q/" in page.text
    assert AccessLink.objects.filter(patient=patient).count() == 1


def test_an_unknown_instrument_assigns_nothing(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.screening.models import Assignment

    patient = network["patient_a"]
    client = login(client, network["nurse"])
    url = reverse("screening:assign", kwargs={"patient_id": patient.pk})
    assert client.post(url, {"instruments": ["NOT-AN-INSTRUMENT"]}).status_code == 302
    assert not Assignment.objects.exists()


def test_a_portal_invitation_needs_an_email_and_then_is_sent(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from django.core import mail

    from tests.factories import PatientFactory

    patient = PatientFactory(clinic=network["montreal"], email="")
    url = reverse("screening:invite", kwargs={"patient_id": patient.pk})
    client = login(client, network["nurse"])
    refused = client.post(url, follow=True)
    assert "Add the patient&#x27;s email address first." in refused.text
    patient.email = "jade@example.test"
    patient.save()
    page = client.post(url, follow=True)
    assert "Invitation sent to jade@example.test." in page.text
    patient.refresh_from_db()
    assert patient.user is not None and patient.user.role == "patient"
    assert len(mail.outbox) <= 1  # sent when the transaction commits


def test_billing_cannot_assign_questionnaires(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.screening.models import Assignment

    url = reverse("screening:assign", kwargs={"patient_id": network["patient_a"].pk})
    response = login(client, network["billing"]).post(url, {"instruments": ["GAD-7"]})
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def _screened(network: dict[str, Any]) -> Any:
    from kapclinic.screening.workflow import start_screening
    from tests.factories import condition

    return start_screening(
        by=network["nurse"], patient=network["patient_a"], indication=condition("depression")
    )


def test_signing_asks_the_physician_to_re_enter_their_password(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    from kapclinic.accounts.reauth import recent_failures
    from kapclinic.audit.models import Action, AuditEvent
    from kapclinic.screening.models import Determination

    screening = _screened(network)
    url = reverse("screening:sign", kwargs={"patient_id": network["patient_a"].pk})
    client = login(client, network["physician"])
    page = client.get(reverse("screening:screening", kwargs={"patient_id": screening.patient_id}))
    assert 'type="password"' in page.text and "Re-enter your password" in page.text
    missing = client.post(url, {"decision": "eligible"}, follow=True)
    assert "Re-enter your password to sign." in missing.text
    wrong = client.post(url, {"decision": "eligible", "password": "guess"}, follow=True)
    assert "Your password is not correct: the determination is not signed." in wrong.text
    assert not Determination.objects.exists()
    failed = AuditEvent.objects.get(action=Action.WITNESS_PASSWORD_FAILED)
    assert (failed.actor, failed.outcome) == (network["physician"], "failure")
    assert failed.detail == {"signing": "screening", "screening": str(screening.pk)}
    assert recent_failures(network["physician"]) == 1
    signed = client.post(url, {"decision": "eligible", "password": PASSWORD}, follow=True)
    assert "Determination signed." in signed.text
    assert Determination.objects.get().signed_by == network["physician"]
