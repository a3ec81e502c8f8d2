"""Each pre-dose check reads the real record: change one fact and clearing names it."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kapclinic.care.services import withdraw_consent
from kapclinic.dosing import ordering, services
from kapclinic.dosing.errors import DosingError
from kapclinic.dosing.models import Order
from kapclinic.patients.models import Sex
from kapclinic.screening.models import QuestionnaireResponse, SafetyFlag
from tests.dosing.conftest import BASELINE, with_checks


def refusal_codes(ready: dict[str, Any], **changes: Any) -> list[str]:
    session = with_checks(ready, **changes)
    with pytest.raises(DosingError) as refused:
        services.clear_to_dose(by=ready["nurse"], session_id=session.pk)
    session.refresh_from_db()
    assert session.state == "pre_dose_checks"
    return refused.value.params["refusals"]


def test_withdrawn_treatment_consent_is_refused(ready: dict[str, Any]) -> None:
    withdraw_consent(by=ready["nurse"], consent=ready["treatment_consent"], reason="Changed mind")
    assert refusal_codes(ready) == ["pre_dose.treatment_consent"]


def test_no_recording_consent_needs_the_documented_alternative_safeguard(
    ready: dict[str, Any],
) -> None:
    withdraw_consent(by=ready["nurse"], consent=ready["recording_consent"], reason="No video")
    assert refusal_codes(ready) == ["pre_dose.recording_safeguard"]


def test_the_alternative_safeguard_stands_in_for_recording(ready: dict[str, Any]) -> None:
    withdraw_consent(by=ready["nurse"], consent=ready["recording_consent"], reason="No video")
    session = with_checks(ready, alternative_safeguard="Two clinicians present throughout.")
    assert services.clear_to_dose(by=ready["nurse"], session_id=session.pk).state == (
        "cleared_to_dose"
    )


def test_not_fasted_is_refused(ready: dict[str, Any]) -> None:
    assert refusal_codes(ready, fasted_as_instructed=False) == ["pre_dose.fasting"]


def test_no_ride_home_is_refused(ready: dict[str, Any]) -> None:
    assert refusal_codes(ready, ride_home_arranged=False) == ["pre_dose.ride_home"]


def test_pregnancy_not_attested_is_refused_unless_the_patient_is_male(
    ready: dict[str, Any],
) -> None:
    assert refusal_codes(ready, pregnancy_attestation="not_attested") == [
        "pre_dose.pregnancy_status"
    ]


def test_pregnancy_does_not_apply_to_a_patient_male_at_birth(ready: dict[str, Any]) -> None:
    ready["patient_a"].sex_at_birth = Sex.MALE
    ready["patient_a"].save()
    session = with_checks(ready, pregnancy_attestation="not_attested")
    assert services.clear_to_dose(by=ready["nurse"], session_id=session.pk).state == (
        "cleared_to_dose"
    )


def test_a_high_baseline_blood_pressure_is_refused_with_the_value(ready: dict[str, Any]) -> None:
    session = with_checks(ready, baseline=BASELINE | {"systolic": 150})
    with pytest.raises(DosingError) as refused:
        services.clear_to_dose(by=ready["nurse"], session_id=session.pk)
    assert "Systolic blood pressure 150 mmHg is above the highest acceptable value, 139 mmHg." in (
        refused.value.message
    )


def test_a_configured_limit_replaces_the_default(ready: dict[str, Any], settings: Any) -> None:
    settings.DOSING_PRE_DOSE_LIMITS = {"systolic_max": 159}
    session = with_checks(ready, baseline=BASELINE | {"systolic": 150})
    assert services.clear_to_dose(by=ready["nurse"], session_id=session.pk).state == (
        "cleared_to_dose"
    )


def test_no_baseline_is_refused(ready: dict[str, Any]) -> None:
    assert refusal_codes(ready, baseline=None) == ["pre_dose.baseline_vitals"]


def test_an_unreviewed_suicidality_flag_is_refused_until_reviewed(ready: dict[str, Any]) -> None:
    response = QuestionnaireResponse.objects.create(
        patient=ready["patient_a"],
        instrument="PHQ-9",
        answers=[0] * 8 + [1],
        total=1,
        band="minimal",
        source="staff",
        entered_by=ready["nurse"],
    )
    flag = SafetyFlag.objects.create(
        patient=ready["patient_a"], kind="suicidal_ideation", response=response
    )
    assert refusal_codes(ready) == ["pre_dose.suicidality_review"]
    flag.reviewed_at, flag.reviewed_by = timezone.now(), ready["physician"]
    flag.save()
    session = ready["attendance"].dosing_session
    assert services.clear_to_dose(by=ready["nurse"], session_id=session.pk).state == (
        "cleared_to_dose"
    )


def test_an_expired_order_is_refused(ready: dict[str, Any]) -> None:
    Order.objects.filter(pk=ready["order"].pk).update(expires_on=date.today() - timedelta(days=2))
    assert refusal_codes(ready) == ["pre_dose.order"]


def test_a_session_outside_any_enrolment_has_no_order_and_is_refused(ready: dict[str, Any]) -> None:
    session = with_checks(ready)
    session.enrolment = None
    session.save()
    with pytest.raises(DosingError, match=r"There is no medication order for this session\."):
        services.clear_to_dose(by=ready["nurse"], session_id=session.pk)


def test_an_order_changed_to_another_route_after_check_in_is_refused(
    ready: dict[str, Any],
) -> None:
    session = with_checks(ready)
    ordering.sign_order(
        by=ready["physician"],
        patient=ready["patient_a"],
        route="intranasal_spray",
        dose_mg=Decimal(56),
        expires_on=date.today() + timedelta(days=30),
        supersedes=ready["order"],
        reason_for_change="Nausea with tablets",
    )
    with pytest.raises(DosingError, match="but this session is planned as sublingual"):
        services.clear_to_dose(by=ready["nurse"], session_id=session.pk)
