"""DocumentReference (released letters) and Invoice (billing): valid R4B, the web UI's access
rules (letters: clinical staff and the referrer addressed; invoices: billing and clinic admins),
each read audited, each refusal a 403 OperationOutcome."""

import base64
import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.billing import services as billing_services
from kapclinic.fhir.capability import capability_statement
from kapclinic.sharedcare import services as letters
from kapclinic.sharedcare.models import LetterKind
from tests.billing.conftest import (
    billing,  # noqa: F401 - fixture
    deliver,
)
from tests.billing.test_services import invoice as issue
from tests.fhir.conftest import outcome
from tests.sharedcare.conftest import referred, share_consent  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(referred: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """A progress report released, then corrected: version 1 superseded, version 2 current."""
    physician, patient = referred["physician"], referred["patient_a"]
    share_consent(patient, physician)
    first = letters.draft_letter(by=physician, patient=patient, kind=LetterKind.PROGRESS)
    first = letters.release_letter(by=physician, letter_id=first.pk)
    second = letters.correct_letter(by=physician, letter=first, note="Fixed.")
    second = letters.release_letter(by=physician, letter_id=second.pk)
    letters.draft_letter(by=physician, patient=patient, kind=LetterKind.ACKNOWLEDGEMENT)
    return {**referred, "first": first, "second": second}


def test_released_letters_are_document_references(sent: dict[str, Any], api: Any) -> None:
    patient = sent["patient_a"]
    bundle = api(sent["physician"]).ok("DocumentReference", {"patient": f"Patient/{patient.pk}"})
    found = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    assert set(found) == {str(sent["first"].pk), str(sent["second"].pk)}  # no draft
    current = found[str(sent["second"].pk)]
    assert current["status"] == "current"
    assert found[str(sent["first"].pk)]["status"] == "superseded"
    assert current["type"]["coding"][0]["code"] == "11506-3"
    assert current["subject"]["reference"] == f"Patient/{patient.pk}"
    assert current["author"] == [{"reference": f"Practitioner/{sent['physician'].pk}"}]
    assert current["relatesTo"][0]["target"]["reference"] == f"DocumentReference/{sent['first'].pk}"
    attachment = current["content"][0]["attachment"]
    pdf = bytes(sent["second"].pdf)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()  # noqa: S324
    assert attachment["url"].endswith(f"/letters/{sent['second'].pk}/pdf/")
    assert api(sent["physician"]).ok(f"DocumentReference/{sent['second'].pk}") == current
    event = AuditEvent.objects.filter(action=Action.READ, patient=patient).latest("id")
    assert event.detail == {"fhir": "DocumentReference"}


def test_the_referrer_reads_the_letters_addressed_to_them(sent: dict[str, Any], api: Any) -> None:
    bundle = api(sent["referrer"]).ok("DocumentReference")
    resources = [e["resource"] for e in bundle["entry"]]
    assert len(resources) == 2
    assert all("/refer/letters/" in r["content"][0]["attachment"]["url"] for r in resources)
    read = api(sent["referrer"]).ok(f"DocumentReference/{sent['second'].pk}")
    assert read["status"] == "current"


def test_billing_is_refused_the_letters(sent: dict[str, Any], api: Any) -> None:
    outcome(api(sent["billing"]).get("DocumentReference"), 403)


@pytest.fixture
def invoiced(billing: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    prep, kap = deliver(billing), deliver(billing, type_code="ketamine-session")
    first = issue(billing, prep, kap)
    paid = issue(billing, deliver(billing))
    billing_services.record_payment(
        by=billing["billing"],
        invoice=paid,
        method="cash",
        amount=paid.total,
        received_on=date.today(),
    )
    return {**billing, "first": first, "paid": paid}


def test_invoices_validate_with_their_lines_and_totals(invoiced: dict[str, Any], api: Any) -> None:
    bundle = api(invoiced["billing"]).ok("Invoice")
    found = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    first, paid = found[str(invoiced["first"].pk)], found[str(invoiced["paid"].pk)]
    assert first["identifier"][0]["value"] == invoiced["first"].number
    assert (first["status"], paid["status"]) == ("issued", "balanced")
    assert len(first["lineItem"]) == 2
    assert first["totalNet"] == {"value": float(invoiced["first"].subtotal), "currency": "CAD"}
    assert first["totalGross"] == {"value": float(invoiced["first"].total), "currency": "CAD"}
    taxed = [c for item in first["lineItem"] for c in item["priceComponent"] if c["type"] == "tax"]
    assert taxed, "the ketamine session carries GST and QST"
    assert api(invoiced["billing"]).ok(f"Invoice/{invoiced['first'].pk}") == first
    event = AuditEvent.objects.filter(action=Action.READ, patient=invoiced["patient_a"]).latest(
        "id"
    )
    assert event.detail == {"fhir": "Invoice"}


def test_a_fully_credited_invoice_is_cancelled(invoiced: dict[str, Any], api: Any) -> None:
    issued = invoiced["first"]
    for line in issued.lines.all():
        billing_services.issue_credit_note(
            by=invoiced["billing"],
            invoice=issued,
            line_id=line.pk,
            amount=line.amount,
            reason="Billed in error",
        )
    read = api(invoiced["billing"]).ok(f"Invoice/{issued.pk}")
    assert read["status"] == "cancelled"
    assert Decimal(str(read["totalGross"]["value"])) == issued.total


@pytest.mark.parametrize("role", ["physician", "nurse", "therapist", "intake"])
def test_clinical_roles_are_refused_invoices(invoiced: dict[str, Any], api: Any, role: str) -> None:
    outcome(api(invoiced[role]).get("Invoice"), 403)


def test_the_capability_statement_lists_both() -> None:
    listed = {
        r["type"] for r in capability_statement("http://testserver/fhir/R4")["rest"][0]["resource"]
    }
    assert {"DocumentReference", "Invoice"} <= listed
