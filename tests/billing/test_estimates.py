"""A program's cost before enrolment: its sessions priced from the clinic's fee schedule."""

from decimal import Decimal
from typing import Any

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.billing.estimates import estimate_for, program_estimate
from tests.factories import seeded_programs

D = Decimal


def test_the_standard_program_is_priced_item_by_item_with_taxes_per_item(
    billing: dict[str, Any],
) -> None:
    program = seeded_programs()["standard"]
    estimate = program_estimate(billing["montreal"], program)
    lines = {line.code: line for line in estimate.lines}
    assert lines["PREP"].quantity == program.preparation_sessions
    assert lines["KAP"].quantity == program.dosing_sessions
    assert lines["INT"].quantity == program.integration_sessions
    # 650.00 taxable in Quebec: GST 32.50 + QST 64.84 per session.
    assert lines["KAP"].tax == D("97.34") * program.dosing_sessions
    assert lines["PREP"].tax == 0 and lines["PREP"].claimable == lines["PREP"].amount
    assert estimate.total == sum(line.total for line in estimate.lines)
    assert estimate.claimable == lines["PREP"].total + lines["INT"].total
    assert estimate.unpriced == []


def test_british_columbia_estimates_add_gst_only(billing: dict[str, Any]) -> None:
    program = seeded_programs()["standard"]
    kap = {line.code: line for line in program_estimate(billing["vancouver"], program).lines}
    assert kap["KAP"].tax == D("32.50") * program.dosing_sessions


def test_a_session_without_a_price_is_named_not_guessed(billing: dict[str, Any]) -> None:
    billing["fees"]["INT"].__class__.objects.filter(pk=billing["fees"]["INT"].pk).update(
        active=False
    )
    program = seeded_programs()["standard"]
    estimate = program_estimate(billing["montreal"], program)
    assert "INT" not in {line.code for line in estimate.lines}
    assert estimate.unpriced == [f"Integration session ({program.integration_sessions})"]


def test_showing_an_estimate_about_a_patient_is_audited(billing: dict[str, Any]) -> None:
    program = seeded_programs()["standard"]
    estimate_for(by=billing["intake"], patient=billing["patient_a"], program=program)
    event = AuditEvent.objects.get(action=Action.READ, patient=billing["patient_a"])
    assert event.detail == {"view": "billing.estimate.standard"}
