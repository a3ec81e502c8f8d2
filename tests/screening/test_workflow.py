"""The screening: facts give explained findings; a physician signs; the referral follows."""

from typing import Any

import pytest
from django.urls import reverse

from kapclinic.errors import NotPermitted
from kapclinic.referrals.models import Status
from kapclinic.screening.models import Assignment, Decision
from kapclinic.screening.services import ScreeningError
from kapclinic.screening.workflow import (
    findings_for,
    rescreen,
    sign_determination,
    start_screening,
    update_screening,
)
from tests.factories import PASSWORD, condition, screening_facts


@pytest.fixture
def screening(network: dict[str, Any]) -> Any:
    referral = network["referral"]
    referral.status = Status.CONTACTED
    referral.save()
    return start_screening(
        by=network["nurse"],
        patient=network["patient_a"],
        indication=condition("addiction"),
        referral=referral,
    )


def test_starting_assigns_the_baseline_questionnaires_of_the_indication(screening: Any) -> None:
    waiting = set(
        Assignment.objects.filter(patient=screening.patient).values_list("instrument", flat=True)
    )
    assert waiting == {"AUDIT", "DUDIT"}


def test_findings_follow_the_facts(network: dict[str, Any], screening: Any) -> None:
    assert findings_for(screening).outcome == "eligible"
    update_screening(
        by=network["nurse"],
        screening=screening,
        facts=screening_facts(
            screening, systolic=150, diastolic=85, history=["untreated_thyroid_disease"]
        ),
    )
    assessment = findings_for(screening)
    assert assessment.outcome == "needs_review"
    assert {"blood_pressure.elevated", "contraindication.untreated_thyroid_disease"} <= set(
        assessment.codes
    )
    update_screening(
        by=network["nurse"],
        screening=screening,
        facts=screening_facts(screening, history=["psychosis"]),
    )
    assert findings_for(screening).outcome == "ineligible"


def test_signing_against_an_absolute_finding_needs_a_justification(
    network: dict[str, Any], screening: Any
) -> None:
    update_screening(
        by=network["nurse"],
        screening=screening,
        facts=screening_facts(screening, history=["psychosis"]),
    )
    with pytest.raises(ScreeningError, match="needs a written justification"):
        sign_determination(
            by=network["physician"],
            screening=screening,
            decision=Decision.ELIGIBLE,
            password=PASSWORD,
        )
    determination = sign_determination(
        by=network["physician"],
        screening=screening,
        decision=Decision.ELIGIBLE,
        password=PASSWORD,
        justification="Single drug-induced episode 20 years ago; psychiatrist consulted.",
    )
    assert determination.outcome == "ineligible"
    assert determination.findings[0]["code"] == "contraindication.psychosis"


def test_only_a_physician_signs_and_the_referral_follows(
    network: dict[str, Any], screening: Any
) -> None:
    with pytest.raises(NotPermitted):
        sign_determination(
            by=network["nurse"], screening=screening, decision=Decision.ELIGIBLE, password=PASSWORD
        )
    sign_determination(
        by=network["physician"], screening=screening, decision=Decision.ELIGIBLE, password=PASSWORD
    )
    network["referral"].refresh_from_db()
    assert network["referral"].status == Status.ACCEPTED
    with pytest.raises(ScreeningError, match="signed screening can no longer be changed"):
        update_screening(
            by=network["nurse"],
            screening=screening,
            facts=screening_facts(screening, pregnant=True),
        )


def test_the_screening_page_shows_findings_as_facts_are_saved(
    network: dict[str, Any], screening: Any, client: Any, login: Any
) -> None:
    url = reverse("screening:screening", kwargs={"patient_id": network["patient_a"].pk})
    client = login(client, network["nurse"])
    client.post(url, {"indication": condition("addiction").pk, "pregnant": "on"})
    html = client.get(url).content.decode()
    # In words, not codes: the outcome, the finding's severity and its sentence.
    assert 'Findings: <span class="outcome outcome-ineligible">not eligible</span>' in html
    assert "<strong>Absolute</strong>" in html and "contraindication.pregnancy" not in html
    assert "Sign the determination" not in html


def test_a_screening_signed_once_managed_is_re_screened_and_the_referrer_reads_why(
    network: dict[str, Any], screening: Any, client: Any, login: Any
) -> None:
    screening.medications = "amlodipine 5 mg"
    screening.systolic, screening.diastolic = 168, 104
    screening.save()
    sign_determination(
        by=network["physician"],
        screening=screening,
        decision=Decision.ELIGIBLE_ONCE_MANAGED,
        password=PASSWORD,
    )
    referral = network["referral"]
    referral.refresh_from_db()
    assert referral.status == Status.ON_HOLD
    referrer = network["referrer"]
    for language, words in (
        ("en", "Eligible once a condition is managed (on hold)"),
        ("fr", "Admissible une fois une condition prise en charge (en attente)"),
    ):
        referrer.language = language
        referrer.save(update_fields=["language"])
        html = login(client, referrer).get(reverse("referrals:portal")).content.decode()
        assert words in html
        assert "eligible_once_managed" not in html and "Evaluation scheduled" not in html
        assert "Évaluation planifiée" not in html
        client.logout()

    # Re-screening: a new screening referencing the signed one, starting from its facts.
    url = reverse("screening:rescreen", kwargs={"patient_id": network["patient_a"].pk})
    page = login(client, network["nurse"]).post(url, follow=True).content.decode()
    again = network["patient_a"].screenings.first()
    assert again.previous == screening and again.pk != screening.pk
    assert again.medications == "amlodipine 5 mg" and again.systolic is None
    assert "Re-screening" in page and "Sign the determination" not in page
    # Re-screening the same signed screening twice is refused; an unsigned one is amended.
    with pytest.raises(ScreeningError, match="already been re-screened"):
        rescreen(by=network["nurse"], previous=screening)
    with pytest.raises(ScreeningError, match="not signed yet"):
        rescreen(by=network["nurse"], previous=again)
    sign_determination(
        by=network["physician"], screening=again, decision=Decision.ELIGIBLE, password=PASSWORD
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert not referral.status_changes.exclude(reason="").exists()


def test_a_wrong_password_refuses_the_signature_and_counts_towards_the_lockout(
    network: dict[str, Any], settings: Any
) -> None:
    """The register witness's mechanism and counter (accounts.reauth): failures at either
    signature add up, and a locked physician cannot sign even with the right password."""
    from kapclinic.accounts.reauth import recent_failures
    from kapclinic.audit.models import Action, AuditEvent
    from kapclinic.screening.models import Determination

    settings.AXES_FAILURE_LIMIT = 3
    physician = network["physician"]
    screening = start_screening(
        by=network["nurse"], patient=network["patient_a"], indication=condition("depression")
    )
    for _attempt in range(3):
        with pytest.raises(ScreeningError) as refused:
            sign_determination(
                by=physician, screening=screening, decision=Decision.ELIGIBLE, password="guess"
            )
        assert refused.value.code == "screening.signer_password_wrong"
    assert recent_failures(physician) == 3
    assert (
        AuditEvent.objects.filter(
            action=Action.WITNESS_PASSWORD_FAILED, actor=physician, object_id=str(physician.pk)
        ).count()
        == 3
    )
    with pytest.raises(ScreeningError, match="Too many wrong passwords") as locked:
        sign_determination(
            by=physician, screening=screening, decision=Decision.ELIGIBLE, password=PASSWORD
        )
    assert locked.value.code == "screening.signer_locked"
    assert not Determination.objects.exists()


def test_a_physician_with_an_authenticator_may_sign_with_its_code(
    network: dict[str, Any],
) -> None:
    import time

    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )

    physician = network["physician"]
    secret = generate_totp_secret()
    TOTP.activate(physician, secret)
    screening = start_screening(
        by=network["nurse"], patient=network["patient_a"], indication=condition("depression")
    )
    with pytest.raises(ScreeningError, match="not correct"):
        sign_determination(
            by=physician, screening=screening, decision=Decision.ELIGIBLE, password="000000x"
        )
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    signed = sign_determination(
        by=physician, screening=screening, decision=Decision.ELIGIBLE, password=code
    )
    assert signed.signed_by == physician
