"""Enrolment, consents and journey moves: refused with reasons, stored with who and when."""

from typing import Any

import pytest

from kapclinic.care.models import ConsentKind, JourneyTransition, ProgramTemplate
from kapclinic.care.services import (
    CareError,
    enrol,
    mark_material_read,
    mark_preparation_done,
    move_journey,
    record_consent,
    withdraw_consent,
)
from kapclinic.screening.models import Decision
from kapclinic.screening.workflow import sign_determination, start_screening
from tests.factories import PASSWORD, condition, seeded_programs, signed_eligible


@pytest.fixture
def programs(db: None) -> dict[str, ProgramTemplate]:
    """The seeded programs (seeded again if a transactional test's flush removed them)."""
    return seeded_programs()


def test_both_programs_are_data(programs: dict[str, ProgramTemplate]) -> None:
    standard, intro = programs["standard"], programs["introductory"]
    assert (standard.min_weeks, standard.max_weeks) == (
        4,
        6,
    ) and standard.dosing_sessions > intro.dosing_sessions
    assert intro.requires_community_support and not standard.requires_community_support


def test_the_introductory_program_needs_a_named_supporter(
    network: dict[str, Any], programs: Any
) -> None:
    signed_eligible(network["patient_a"])
    with pytest.raises(CareError, match="established community support"):
        enrol(by=network["intake"], patient=network["patient_a"], program=programs["introductory"])
    enrolment = enrol(
        by=network["intake"],
        patient=network["patient_a"],
        program=programs["introductory"],
        supporter_name="Marc Roy (counsellor)",
        supporter_contact="514-555-0111",
    )
    assert enrolment.stage == "connect"


def test_the_journey_refuses_with_reasons_then_moves_and_keeps_who_and_when(
    network: dict[str, Any], programs: Any
) -> None:
    patient = network["patient_a"]
    screening = start_screening(
        by=network["nurse"], patient=patient, indication=condition("depression")
    )
    sign_determination(
        by=network["physician"], screening=screening, decision=Decision.ELIGIBLE, password=PASSWORD
    )
    enrolment = enrol(by=network["intake"], patient=patient, program=programs["standard"])
    move_journey(by=network["nurse"], enrolment_id=enrolment.pk, to="prepare")

    with pytest.raises(CareError) as refused:
        move_journey(by=network["nurse"], enrolment_id=enrolment.pk, to="experience")
    assert refused.value.params["refusals"] == [
        "consent.treatment_missing",
        "preparation.incomplete",
    ]

    consent = record_consent(
        by=network["nurse"],
        patient=patient,
        kind=ConsentKind.TREATMENT,
        text_version="2026-01",
        signed_name="Canary Zzyzx-Patient",
    )
    with pytest.raises(CareError, match=r"not yet read: .*Safety on dosing days"):
        mark_preparation_done(by=network["therapist"], enrolment=enrolment)
    for assignment in enrolment.materials.all():
        mark_material_read(by=network["patient_user"], assignment=assignment)
    mark_preparation_done(by=network["therapist"], enrolment=enrolment)
    move_journey(by=network["physician"], enrolment_id=enrolment.pk, to="experience")
    moves = list(
        JourneyTransition.objects.filter(enrolment=enrolment).values_list(
            "from_stage", "to_stage", "by"
        )
    )
    assert moves == [
        ("connect", "prepare", network["nurse"].pk),
        ("prepare", "experience", network["physician"].pk),
    ]

    withdraw_consent(by=network["nurse"], consent=consent, reason="patient withdrew")
    move_journey(by=network["therapist"], enrolment_id=enrolment.pk, to="integrate")
    with pytest.raises(CareError, match="no valid treatment consent"):
        move_journey(by=network["therapist"], enrolment_id=enrolment.pk, to="experience")


def test_a_consent_names_a_published_text_version_and_a_withdrawal_needs_a_reason(
    network: dict[str, Any], programs: Any
) -> None:
    patient = network["patient_a"]
    with pytest.raises(CareError, match="no treatment consent text of version 1999"):
        record_consent(
            by=network["nurse"],
            patient=patient,
            kind=ConsentKind.TREATMENT,
            text_version="1999",
            signed_name="Canary",
        )
    consent = record_consent(
        by=network["nurse"],
        patient=patient,
        kind=ConsentKind.RECORDING,
        text_version="2026-01",
        signed_name="Canary",
    )
    with pytest.raises(CareError, match="reason"):
        withdraw_consent(by=network["nurse"], consent=consent, reason="")
    withdraw_consent(by=network["nurse"], consent=consent, reason="Does not want filming")
    with pytest.raises(CareError, match="already withdrawn"):
        withdraw_consent(by=network["nurse"], consent=consent, reason="again")


@pytest.mark.parametrize(
    ("decisions", "message", "code"),
    [
        ([], "before a physician signs an eligible determination", "eligibility.unsigned"),
        (
            [Decision.NOT_ELIGIBLE],
            "latest determination is not eligible",
            "eligibility.not_eligible",
        ),
        (
            [Decision.ELIGIBLE_ONCE_MANAGED],
            "eligible once a condition is managed",
            "eligibility.eligible_once_managed",
        ),
        # The latest determination counts: an old "eligible" does not outlive a re-screening.
        (
            [Decision.ELIGIBLE, Decision.NOT_ELIGIBLE],
            "latest determination is not eligible",
            "eligibility.not_eligible",
        ),
    ],
)
def test_enrolment_needs_a_signed_eligible_determination(
    network: dict[str, Any], programs: Any, decisions: list[str], message: str, code: str
) -> None:
    patient = network["patient_a"]
    for decision in decisions:
        signed_eligible(patient, decision=decision)
    with pytest.raises(CareError, match=message) as refused:
        enrol(by=network["intake"], patient=patient, program=programs["standard"])
    assert refused.value.params["refusals"] == [code]
    assert not patient.enrolments.exists()


def test_an_absolute_contraindication_signed_not_eligible_cannot_be_enrolled(
    network: dict[str, Any], programs: Any
) -> None:
    patient = network["patient_a"]
    screening = start_screening(
        by=network["nurse"], patient=patient, indication=condition("depression")
    )
    screening.history = ["psychosis"]
    screening.save()
    sign_determination(
        by=network["physician"],
        screening=screening,
        decision=Decision.NOT_ELIGIBLE,
        password=PASSWORD,
    )
    with pytest.raises(CareError, match="not eligible"):
        enrol(by=network["intake"], patient=patient, program=programs["standard"])


def test_a_re_screening_signed_once_managed_stops_the_journey_with_the_true_reason(
    network: dict[str, Any], programs: Any
) -> None:
    patient = network["patient_a"]
    signed_eligible(patient)
    enrolment = enrol(by=network["intake"], patient=patient, program=programs["standard"])
    signed_eligible(patient, decision=Decision.ELIGIBLE_ONCE_MANAGED)
    with pytest.raises(CareError, match="eligible once a condition is managed") as refused:
        move_journey(by=network["nurse"], enrolment_id=enrolment.pk, to="prepare")
    assert refused.value.params["refusals"] == ["eligibility.once_managed"]
    assert "has not signed" not in str(refused.value)
