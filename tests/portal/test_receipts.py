"""The patient's receipts in the portal: their own paid sessions only, as PDFs."""

from decimal import Decimal
from typing import Any

from django.urls import reverse

from kapclinic.billing.services import invoice_services, record_payment
from tests.billing.conftest import REGISTRATION, billing, deliver  # noqa: F401 (the fixture)
from tests.billing.test_receipts import paid_line, text_of


def test_the_portal_lists_and_serves_only_the_patients_own_paid_receipts(
    billing: dict[str, Any],  # noqa: F811
    client: Any,
    login: Any,
) -> None:
    line = paid_line(billing)
    login(client, billing["patient_user"])
    page = client.get(reverse("portal:receipts"))
    assert page.status_code == 200 and b"Download the receipt of" in page.content
    pdf = client.get(reverse("portal:receipt", kwargs={"line_id": line.pk}))
    assert REGISTRATION in text_of(pdf.content)
    other = invoice_services(
        by=billing["billing_bc"],
        patient=billing["patient_bc"],
        attendance_ids=[
            deliver(billing, patient=billing["patient_bc"], clinic=billing["vancouver"]).pk
        ],
    )
    record_payment(
        by=billing["billing_bc"],
        invoice=other,
        method="cash",
        amount=Decimal("180"),
        received_on=billing["vancouver"].today(),
    )
    response = client.get(reverse("portal:receipt", kwargs={"line_id": other.lines.get().pk}))
    assert response.status_code == 404


def test_the_receipts_are_in_the_patients_menu_under_their_clinics_header(
    billing: dict[str, Any],  # noqa: F811
    client: Any,
    login: Any,
) -> None:
    """Walked on a phone: the receipts were two pages deep with no menu entry, and their page
    lost the clinic's name and phone that every other portal page shows."""
    paid_line(billing)
    login(client, billing["patient_user"])
    home = client.get(reverse("web:home"), follow=True).content.decode()
    assert f'href="{reverse("portal:receipts")}"' in home
    page = client.get(reverse("portal:receipts")).content.decode()
    assert billing["montreal"].name in page
