"""Insurance receipts: the PDF names the practitioner's registration, in the patient's
language; the emailed link is signed and expires; refusals while money is owed."""

from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from kapclinic.audit.models import Action, AuditEvent
from kapclinic.billing.errors import BillingError
from kapclinic.billing.receipts import receipt_for, receipt_token, send_receipt_link
from kapclinic.billing.services import invoice_services, record_payment
from tests.billing.conftest import REGISTRATION, deliver


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def paid_line(setup: dict[str, Any]) -> Any:
    invoice = invoice_services(
        by=setup["billing"], patient=setup["patient_a"], attendance_ids=[deliver(setup).pk]
    )
    record_payment(
        by=setup["billing"],
        invoice=invoice,
        method="debit",
        amount=invoice.total,
        received_on=setup["montreal"].today(),
        reference="AUTH-1",
    )
    return invoice.lines.get()


def test_the_receipt_pdf_carries_the_registration_number_and_the_claimable_part(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    line = paid_line(billing)
    login(client, billing["billing"])
    response = client.get(
        reverse("billing:receipt", kwargs={"invoice_id": line.invoice_id, "line_id": line.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert REGISTRATION in text
    assert "Ordre des psychologues du Québec" in text
    assert "Therapist" in text and "PREP" in text and "$180.00" in text
    assert line.service_date.isoformat() in text
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.patient == billing["patient_a"] and event.detail["via"] == "staff"


def test_the_receipt_is_in_the_patients_language(billing: dict[str, Any]) -> None:
    billing["patient_a"].preferred_language = "fr"
    billing["patient_a"].save()
    from kapclinic.billing.receipts import receipt_pdf

    text = text_of(receipt_pdf(receipt_for(paid_line(billing))))
    assert "Reçu pour assurance" in text and "Numéro de permis" in text
    assert "Psychothérapie de" in text and "180,00" in text


def test_no_receipt_while_the_invoice_is_owed(billing: dict[str, Any]) -> None:
    invoice = invoice_services(
        by=billing["billing"], patient=billing["patient_a"], attendance_ids=[deliver(billing).pk]
    )
    with pytest.raises(BillingError, match="once the invoice is paid in full"):
        receipt_for(invoice.lines.get())


def test_the_emailed_link_opens_the_receipt_until_it_expires(
    billing: dict[str, Any], client: Any, settings: Any
) -> None:
    line = paid_line(billing)
    with freeze_time("2026-03-01 12:00"):
        token = receipt_token(line)
    url = reverse("billing:receipt_link", kwargs={"token": token})
    with freeze_time("2026-03-30 12:00"):
        opened = client.get(url)
    assert opened.status_code == 200 and REGISTRATION in text_of(opened.content)
    with freeze_time("2026-04-01 12:00"):
        expired = client.get(url)
    assert expired.status_code == 404
    assert b"expired or is not valid" in expired.content
    # Not a dead end: the page it names (the portal) is one sign-in away.
    assert f'href="{reverse("account_login")}?next={reverse("portal:receipts")}"' in (
        expired.content.decode()
    )
    assert client.get(url[:-3] + "abc/").status_code == 404


def test_sending_the_link_emails_the_patient(billing: dict[str, Any]) -> None:
    line = paid_line(billing)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        url = send_receipt_link(by=billing["billing"], line=line)
    assert mail.outbox[0].to == ["canary@example.test"]
    assert url in mail.outbox[0].body
    assert "30 days" in mail.outbox[0].body
