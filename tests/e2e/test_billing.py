"""Billing staff invoice a completed session and record its payment; the patient then
downloads the insurance receipt from the portal, with the practitioner's registration."""

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from kapclinic.billing.models import Invoice
from tests.billing.conftest import REGISTRATION, billing, deliver  # noqa: F401 (the fixture)
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_billing_staff_invoice_and_record_a_payment_the_patient_downloads_the_receipt(
    live_server: Any,
    browser: Any,
    page: Any,
    billing: dict[str, Any],  # noqa: F811
) -> None:
    page.set_default_timeout(60_000)  # a loaded CI machine renders the first page slowly
    # given: a preparation session delivered two days ago
    service = deliver(billing)
    # when: billing staff invoice it from the list of delivered services
    sign_in(page, live_server.url, billing["billing"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    page.get_by_role("heading", name="Delivered services to invoice").wait_for()
    assert page.locator(f"#service-{service.pk}").is_checked()
    page.get_by_role("button", name="Issue the invoice for").click()
    invoice = Invoice.objects.get()
    page.get_by_text(f"Invoice {invoice.number} issued.").wait_for()
    assert page.locator("#balance").inner_text() == "$180.00"
    # and record the payment in full (the credit note form below has its own Amount field)
    payment = page.locator("form[action$='/payments/']")
    payment.get_by_label("Method").select_option(label="Debit card")
    payment.get_by_label("Amount ($)").fill("180.00")
    payment.get_by_label("Received on").fill(billing["montreal"].today().isoformat())
    payment.get_by_label("Reference").fill("AUTH-4411")
    payment.get_by_role("button", name="Record the payment").click()
    page.get_by_text("Payment recorded.").wait_for()
    assert page.locator("#balance").inner_text() == "$0.00"

    # then: the patient finds the receipt in the portal and downloads it
    portal = browser.new_context(locale="en-CA").new_page()
    portal.set_default_timeout(60_000)
    portal.goto(f"{live_server.url}/accounts/login/")
    portal.get_by_label("Email").fill(billing["patient_user"].email)
    portal.get_by_label("Password").fill(PASSWORD)
    portal.get_by_role("button", name="Sign In").click()
    portal.get_by_role("navigation", name="Main").get_by_role("link", name="My care").click()
    portal.get_by_role("link", name="Your receipts").click()
    with portal.expect_download() as downloading:
        portal.get_by_role("link", name="Download the receipt of").click()
    path = downloading.value.path()
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(path.read_bytes())).pages)
    assert REGISTRATION in text and "$180.00" in text
    portal.context.close()
