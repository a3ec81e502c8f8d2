"""Billing pages: what billing staff see and do, refusals shown, queries pinned, no clinical
content on the way."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kapclinic.billing.models import Invoice, Payment
from kapclinic.billing.services import invoice_services, record_payment
from kapclinic.dosing.models import DosingSession, SessionNote
from tests.billing.conftest import deliver
from tests.factories import seeded_programs


def issued(setup: dict[str, Any], *services: Any) -> Invoice:
    return invoice_services(
        by=setup["billing"],
        patient=setup["patient_a"],
        attendance_ids=[s.pk for s in services or [deliver(setup)]],
    )


def test_billing_staff_invoice_the_delivered_services_of_a_patient(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    first, second = deliver(billing), deliver(billing, type_code="integration")
    login(client, billing["billing"])
    page = client.get(reverse("billing:index"))
    assert page.status_code == 200
    assert b"Issue the invoice for" in page.content
    response = client.post(
        reverse("billing:issue"),
        {"patient": billing["patient_a"].pk, "service": [first.pk, second.pk]},
        follow=True,
    )
    invoice = Invoice.objects.get()
    assert invoice.lines.count() == 2
    assert f"Invoice {invoice.number} issued." in response.content.decode()
    assert b"Every delivered service is invoiced." in client.get(reverse("billing:index")).content


def test_invoicing_twice_shows_the_refusal(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    service = deliver(billing)
    first = issued(billing, service)
    login(client, billing["billing"])
    response = client.post(
        reverse("billing:issue"),
        {"patient": billing["patient_a"].pk, "service": [service.pk]},
        follow=True,
    )
    assert f"is already on invoice {first.number}." in response.content.decode()


def test_a_payment_over_the_balance_is_refused_next_to_the_form(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    invoice = issued(billing)
    login(client, billing["billing"])
    url = reverse("billing:payment", kwargs={"invoice_id": invoice.pk})
    today = billing["montreal"].today().isoformat()
    response = client.post(url, {"method": "debit", "amount": "180.01", "received_on": today})
    assert response.status_code == 400
    assert "is more than the balance of $180.00" in response.content.decode()
    response = client.post(
        url, {"method": "debit", "amount": "180.00", "received_on": today}, follow=True
    )
    assert b"Payment recorded." in response.content
    assert Payment.objects.get().amount == Decimal("180.00")


def test_a_credit_note_too_large_is_refused_next_to_the_form(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    invoice = issued(billing)
    line = invoice.lines.get()
    login(client, billing["billing"])
    url = reverse("billing:credit_note", kwargs={"invoice_id": invoice.pk})
    response = client.post(url, {"line": line.pk, "amount": "200", "reason": "Error"})
    assert response.status_code == 400
    assert "exceeds what remains to credit on PREP ($180.00)" in response.content.decode()
    response = client.post(url, {"line": line.pk, "amount": "30", "reason": "Error"}, follow=True)
    assert b"Credit note" in response.content and b"$150.00" in response.content


def test_the_invoice_page_shows_no_clinical_content(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    kap = deliver(billing, type_code="ketamine-session")
    session = DosingSession.objects.create(
        attendance=kap, patient=kap.patient, clinic=billing["montreal"], state="discharged"
    )
    SessionNote.objects.create(
        session=session, observations="Canary session note", written_by=billing["nurse"]
    )
    invoice = issued(billing, kap)
    login(client, billing["billing"])
    page = client.get(reverse("billing:invoice", kwargs={"invoice_id": invoice.pk}))
    assert page.status_code == 200
    assert b"Canary session note" not in page.content


def test_another_clinics_invoice_is_not_found(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    invoice = issued(billing)
    login(client, billing["billing_bc"])
    page = client.get(reverse("billing:invoice", kwargs={"invoice_id": invoice.pk}))
    assert page.status_code == 404


def test_receivables_are_grouped_by_age(billing: dict[str, Any], client: Any, login: Any) -> None:
    old, recent = issued(billing), issued(billing)
    Invoice.objects.filter(pk=old.pk).update(
        issued_on=billing["montreal"].today().replace(year=billing["montreal"].today().year - 1)
    )
    record_payment(
        by=billing["billing"],
        invoice=recent,
        method="cash",
        amount=Decimal("80"),
        received_on=billing["montreal"].today(),
    )
    login(client, billing["billing"])
    page = client.get(reverse("billing:receivables"))
    report = page.context["report"]
    assert report.totals == [Decimal("100.00"), 0, 0, Decimal("180.00")]
    assert report.total == Decimal("280.00")


@pytest.mark.parametrize(
    ("name", "queries"),
    [("billing:index", 6), ("billing:receivables", 5), ("billing:fees", 3)],
)
def test_billing_lists_pin_their_queries(
    billing: dict[str, Any],
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
    name: str,
    queries: int,
) -> None:
    for _ in range(3):
        issued(billing)
        deliver(billing)
    login(client, billing["billing"])
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


def test_the_invoice_page_pins_its_queries(
    billing: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    invoice = issued(billing, deliver(billing), deliver(billing), deliver(billing))
    login(client, billing["billing"])
    with django_assert_num_queries(7):
        client.get(reverse("billing:invoice", kwargs={"invoice_id": invoice.pk}))


def test_the_estimate_page_prices_a_program_and_pins_its_queries(
    billing: dict[str, Any], client: Any, login: Any, django_assert_num_queries: Any
) -> None:
    seeded_programs()
    login(client, billing["intake"])
    url = reverse("billing:estimate", kwargs={"patient_id": billing["patient_a"].pk})
    with django_assert_num_queries(7):
        page = client.get(url, {"program": "standard"})
    assert page.status_code == 200
    assert page.context["estimate"].program.code == "standard"
    assert b"Ketamine-assisted session" in page.content


def test_a_french_reader_sees_taxes_and_refused_amounts_written_the_french_way(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    """Walked in French: the taxes read TPS and TVQ in French amounts, the refusal of an
    overpayment names its amounts the French way, and the two forms' fields have their own
    ids (a label of the credit note form must not point into the payment form)."""
    billing["billing"].language = "fr"
    billing["billing"].save(update_fields=["language"])
    invoice = issued(billing, deliver(billing, type_code="ketamine-session"))
    login(client, billing["billing"])
    url = reverse("billing:invoice", kwargs={"invoice_id": invoice.pk})
    page = client.get(url).content.decode()
    assert "TPS 32,50\u00a0$" in page and "TVQ 64,84\u00a0$" in page
    assert "GST" not in page and "QST" not in page
    assert page.count('id="id_amount"') == 1
    today = billing["montreal"].today().isoformat()
    refused = client.post(
        reverse("billing:payment", kwargs={"invoice_id": invoice.pk}),
        {"method": "debit", "amount": "1000", "received_on": today},
    ).content.decode()
    assert "1\u00a0000,00\u00a0$" in refused and "747,34\u00a0$" in refused
    assert "$1,000.00" not in refused


def test_a_payment_typed_with_a_french_decimal_comma_is_recorded(
    billing: dict[str, Any], client: Any, login: Any
) -> None:
    invoice = issued(billing)
    billing["billing"].language = "fr"
    billing["billing"].save(update_fields=["language"])
    login(client, billing["billing"])
    url = reverse("billing:payment", kwargs={"invoice_id": invoice.pk})
    today = billing["montreal"].today().isoformat()
    client.post(url, {"method": "debit", "amount": "80,50", "received_on": today})
    assert Payment.objects.get().amount == Decimal("80.50")


def test_the_receipt_link_is_emailed_from_the_invoice_or_the_missing_email_said(
    billing: dict[str, Any], client: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from tests.billing.test_receipts import paid_line

    line = paid_line(billing)
    kwargs = {"invoice_id": line.invoice_id, "line_id": line.pk}
    url = reverse("billing:send_receipt", kwargs=kwargs)
    patient = billing["patient_a"]
    email = patient.email
    patient.email = ""
    patient.save()
    login(client, billing["billing"])
    refused = client.post(url, follow=True)
    assert "The patient has no email address to send the receipt to" in refused.text
    patient.email = email
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True)
    assert "The receipt link was emailed to the patient." in page.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
