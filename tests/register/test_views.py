"""Register pages as staff use them: balances, forms that post entries or explain a refusal,
the ledger filters, discrepancy deadline and report, and the inspection exports."""

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.register.counts import record_count
from kapclinic.register.models import Discrepancy, LedgerEntry, Lot, Product, ProductForm
from kapclinic.register.reports import loss_report_html
from kapclinic.register.services import record_administration
from tests.factories import PASSWORD


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"register:{name}", kwargs=kwargs)


def test_the_register_page_shows_balances_and_is_audited(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    montreal = network["montreal"]
    html = (
        login(client, network["nurse"]).get(url("clinic", clinic_id=montreal.pk)).content.decode()
    )
    assert "K-001" in html and "<td>1000</td>" in html
    assert "Waste or destruction" in html
    event = AuditEvent.objects.get(action=Action.READ, object_type="clinics.clinic")
    assert event.actor == network["nurse"] and event.detail == {"register": "balances"}


def test_another_clinics_register_is_not_found(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    response = login(client, network["nurse"]).get(url("clinic", clinic_id=network["vancouver"].pk))
    assert response.status_code == 404


def test_the_menu_offers_the_register_to_its_roles_only(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    home = reverse("web:home")
    assert (
        "Controlled substances" in login(client, network["clinic_admin"]).get(home).content.decode()
    )
    assert (
        "Controlled substances"
        not in login(client, network["therapist"]).get(home).content.decode()
    )


def test_a_receipt_is_entered_from_the_form_or_refused_with_the_reason(
    network: dict[str, Any], product: Product, client: Any, login: Any
) -> None:
    client = login(client, network["clinic_admin"])
    fields = {
        "product": product.pk,
        "lot_number": "R-9",
        "supplier": "Pharmacie centrale",
        "invoice": "F-2026-12",
        "quantity_mg": "2000",
    }
    target = url("receive", clinic_id=network["montreal"].pk)
    refused = client.post(target, {**fields, "expiry": str(date.today() - timedelta(days=3))})
    assert "This lot has expired; it cannot be received." in refused.content.decode()
    response = client.post(target, {**fields, "expiry": str(date.today() + timedelta(days=90))})
    assert response.status_code == 302
    assert LedgerEntry.objects.get().reference == "F-2026-12"


def waste_form(lot: Lot, witness: Any, password: str) -> dict[str, Any]:
    return {
        "lot": lot.pk,
        "quantity_mg": "30",
        "reason": "Remainder of a 70 mg dose",
        "witness": witness.pk,
        "witness_password": password,
    }


def test_a_wrong_witness_password_is_refused_and_the_attempt_kept(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    client = login(client, network["nurse"])
    target = url("waste", clinic_id=network["montreal"].pk)
    refused = client.post(target, waste_form(lot, network["physician"], "guess"))
    assert "The witness&#x27;s password is not correct." in refused.content.decode()
    failed = AuditEvent.objects.get(action=Action.WITNESS_PASSWORD_FAILED)
    assert (
        failed.outcome == Outcome.FAILURE and failed.detail["witness"] == network["physician"].email
    )
    assert client.post(target, waste_form(lot, network["physician"], PASSWORD)).status_code == 302
    assert LedgerEntry.objects.get(kind="waste").witness == network["physician"]


def test_after_five_wrong_witness_passwords_the_witness_cannot_co_sign_until_the_cool_off(
    network: dict[str, Any], lot: Lot, client: Any, login: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    client = login(client, network["nurse"])
    target = url("waste", clinic_id=network["montreal"].pk)
    for attempt in range(4):
        client.post(target, waste_form(lot, network["physician"], f"guess-{attempt}"))
    fifth = client.post(target, waste_form(lot, network["physician"], "guess-4"))
    assert "password is not correct" in fifth.content.decode()
    refused = client.post(target, waste_form(lot, network["physician"], PASSWORD))
    assert "Too many wrong passwords for this witness: try again in 15 minutes" in (
        refused.content.decode()
    )
    assert not LedgerEntry.objects.filter(kind="waste").exists()
    with freeze_time(timezone.now() + timedelta(minutes=16)):
        client = login(client, network["nurse"])  # the idle session has ended too
        assert (
            client.post(target, waste_form(lot, network["physician"], PASSWORD)).status_code == 302
        )
    assert LedgerEntry.objects.get(kind="waste").witness == network["physician"]


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Wrong password re-entered to sign"),
        ("fr", "Mot de passe erroné saisi pour signer"),
    ],
)
def test_wrong_witness_passwords_show_by_their_label_in_the_audit_search(
    network: dict[str, Any], lot: Lot, client: Any, login: Any, language: str, label: str
) -> None:
    target = url("waste", clinic_id=network["montreal"].pk)
    nurse = login(client, network["nurse"])
    for attempt in range(2):
        nurse.post(target, waste_form(lot, network["physician"], f"guess-{attempt}"))
    admin = network["clinic_admin"]
    admin.language = language
    admin.save()
    found = login(client, admin).get(reverse("audit:search"), {"user": network["nurse"].email})
    events = [e for e in found.context["events"] if e.action == Action.WITNESS_PASSWORD_FAILED]
    assert [e.object_id for e in events] == [str(network["physician"].pk)] * 2
    assert found.content.decode().count(label) == 2


def test_a_transfer_from_the_form_shows_at_both_clinics(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    client = login(client, network["clinic_admin"])
    client.post(
        url("transfer", clinic_id=network["montreal"].pk),
        {"lot": lot.pk, "clinic_to": network["vancouver"].pk, "quantity_mg": "300"},
    )
    legs = LedgerEntry.objects.filter(transfer_ref__isnull=False)
    assert {(e.clinic.name, e.quantity_mg) for e in legs} == {
        ("Montréal", -300),
        ("Vancouver", 300),
    }


def test_a_short_count_opens_a_discrepancy_with_its_deadline_and_report(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    client = login(client, network["nurse"])
    client.post(
        url("count", clinic_id=network["montreal"].pk),
        {"lot": lot.pk, "counted_mg": "950", "kind": "loss", "explanation": "Spilled bottle"},
    )
    discrepancy = Discrepancy.objects.get()
    page = client.get(url("discrepancy", discrepancy_id=discrepancy.pk)).content.decode()
    due = discrepancy.report_due.astimezone(network["montreal"].tzinfo)
    assert f"Report to Health Canada by {due:%Y-%m-%d %H:%M}" in page
    pdf = client.get(url("loss_report", discrepancy_id=discrepancy.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_type="register.discrepancy"
    ).exists()
    client.post(url("mark_reported", discrepancy_id=discrepancy.pk))
    assert (
        "Reported to Health Canada on"
        in client.get(url("discrepancy", discrepancy_id=discrepancy.pk)).content.decode()
    )


def test_the_loss_report_is_pre_filled_from_the_register(network: dict[str, Any], lot: Lot) -> None:
    count = record_count(
        by=network["nurse"], clinic=network["montreal"], lot=lot, counted_mg=880, kind="theft"
    )
    html = loss_report_html(count.discrepancy)
    for expected in ("Montréal", "Theft", "Ketamine HCl nasal spray", "lot K-001", "120 mg"):
        assert expected in html
    assert "within 10 days of discovery" in html


def test_the_ledger_filters_by_product_and_period(
    network: dict[str, Any], lot: Lot, receive: Any, client: Any, login: Any
) -> None:
    tablets = Product.objects.create(
        name="Ketamine RDT",
        form=ProductForm.RAPID_DISSOLVING_TABLET,
        strength_mg=100,
        unit="tablet",
    )
    receive(product=tablets, number="T-77")
    client = login(client, network["physician"])
    target = url("ledger", clinic_id=network["montreal"].pk)
    today = str(date.today())
    only_tablets = client.get(target, {"start": today, "end": today, "product": tablets.pk})
    assert "T-77" in only_tablets.content.decode() and "K-001" not in only_tablets.content.decode()
    last_year = client.get(target, {"start": "2020-01-01", "end": "2020-12-31"})
    assert "No entry in this period." in last_year.content.decode()
    backwards = client.get(target, {"start": today, "end": "2020-01-01"})
    assert "The period ends before it starts." in backwards.content.decode()


def test_a_long_ledger_is_shown_a_page_at_a_time_keeping_the_period(
    network: dict[str, Any], lot: Lot, client: Any, login: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("kapclinic.register.views.LEDGER_PAGE_SIZE", 2)
    for session in (1, 2):
        record_administration(
            by=network["nurse"],
            clinic=network["montreal"],
            lot=lot,
            quantity_mg=10,
            session_ref=session,
        )
    client = login(client, network["physician"])
    today = str(date.today())
    target = url("ledger", clinic_id=network["montreal"].pk)
    first = client.get(target, {"start": today, "end": today}).content.decode()
    assert "Page 1 of 2 (3 entries)" in first
    assert f"?start={today}&amp;end={today}&amp;page=2" in first
    second = client.get(target, {"start": today, "end": today, "page": 2}).content.decode()
    assert "Page 2 of 2 (3 entries)" in second and "Earlier page" in second
    assert (first + second).count("session ") == 2


def test_the_inspection_csv_has_opening_entries_and_closing_per_lot(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    record_administration(
        by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=140, session_ref=12
    )
    client = login(client, network["clinic_admin"])
    today = str(date.today())
    response = client.get(
        url("report_csv", clinic_id=network["montreal"].pk), {"start": today, "end": today}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["clinic", "product", "form"]
    kinds = [(row[7], row[8], row[9]) for row in rows[1:]]
    assert kinds == [
        ("Opening balance", "", "0"),
        ("Receipt", "1000", "1000"),
        ("Administration", "-140", "860"),
        ("Closing balance", "", "860"),
    ]
    assert rows[3][13] == "12"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.detail["format"] == "csv" and event.detail["start"] == today


def test_the_inspection_csv_opens_safely_in_a_spreadsheet(
    network: dict[str, Any],
    product: Product,
    receive: Any,
    client: Any,
    login: Any,
    security_figures: Any,
) -> None:
    """Cells that start a formula are shown as text, accents open right (byte-order mark)."""
    product.name = '=HYPERLINK("http://evil.example","Click")'
    product.save()
    receive(number="@SUM(A1)", supplier="Pharmacie Léonard", invoice="+1-555")
    client = login(client, network["clinic_admin"])
    today = str(date.today())
    response = client.get(
        url("report_csv", clinic_id=network["montreal"].pk), {"start": today, "end": today}
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert rows[1][0] == "Montréal"
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[1][4] == "'@SUM(A1)"
    unsafe = [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    planted = [cell for cell in cells if cell.startswith(("'=", "'@"))]
    security_figures("csv_injection", neutralised=len(planted), unsafe=len(unsafe))
    assert not unsafe
    assert response["Cache-Control"].count("no-store") == 1


def test_the_inspection_pdf_is_a_pdf(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    response = login(client, network["physician"]).get(
        url("report_pdf", clinic_id=network["montreal"].pk)
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_an_entry_is_reversed_from_the_ledger(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    entry = record_administration(
        by=network["nurse"], clinic=network["montreal"], lot=lot, quantity_mg=80, session_ref=3
    )
    client = login(client, network["physician"])
    target = url("reverse", clinic_id=network["montreal"].pk, entry_id=entry.pk)
    assert "Administration of -80 mg" in client.get(target).content.decode()
    client.post(target, {"reason": "Dose recorded on the wrong lot"})
    assert LedgerEntry.objects.get(reverses=entry).quantity_mg == 80


def test_a_product_is_added_to_the_formulary(
    network: dict[str, Any], client: Any, login: Any
) -> None:
    login(client, network["physician"]).post(
        url("product_new"),
        {
            "name": "Ketamine RDT",
            "form": "rapid_dissolving_tablet",
            "strength_mg": "150",
            "unit": "tablet",
        },
    )
    assert str(Product.objects.get()) == "Ketamine RDT 150 mg/tablet"


# Each register screen costs the same number of queries with one lot or five on hand.
REGISTER_SCREENS = {
    "index": ("nurse", 3),
    "product_new": ("physician", 2),
    "clinic": ("nurse", 7),
    "ledger": ("nurse", 7),
    "receive": ("nurse", 4),
    "waste": ("nurse", 5),
    "transfer": ("nurse", 5),
    "count": ("nurse", 4),
    "reverse": ("physician", 5),
    "discrepancy": ("nurse", 5),
}


@pytest.mark.parametrize("lots", [1, 5])
@pytest.mark.parametrize("name", list(REGISTER_SCREENS))
def test_each_register_screen_pins_its_queries(
    name: str,
    lots: int,
    network: dict[str, Any],
    receive: Any,
    client: Any,
    login: Any,
    django_assert_num_queries: Any,
) -> None:
    montreal = network["montreal"]
    entries = [receive(number=f"K-{n:03}") for n in range(lots)]
    for entry in entries:  # each count is short: one discrepancy per lot
        record_count(by=network["nurse"], clinic=montreal, lot=entry.lot, counted_mg=900)
    discrepancy = Discrepancy.objects.first()
    kwargs = {
        "index": {},
        "product_new": {},
        "reverse": {"clinic_id": montreal.pk, "entry_id": entries[0].pk},
        "discrepancy": {"discrepancy_id": discrepancy.pk if discrepancy else 0},
    }.get(name, {"clinic_id": montreal.pk})
    role, queries = REGISTER_SCREENS[name]
    client = login(client, network[role])
    with django_assert_num_queries(queries):
        page = client.get(url(name, **kwargs))
    # The index of a one-clinic user goes straight to that clinic's register.
    assert page.status_code == (302 if name == "index" else 200)


def test_the_message_names_a_waste_as_waste_and_a_destruction_as_destruction(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    client = login(client, network["nurse"])
    target = url("waste", clinic_id=network["montreal"].pk)
    wasted = client.post(target, waste_form(lot, network["physician"], PASSWORD), follow=True)
    assert "Waste recorded and co-signed." in wasted.text
    destroyed = client.post(
        target, waste_form(lot, network["physician"], PASSWORD) | {"destruction": "on"}, follow=True
    )
    assert "Destruction recorded and co-signed." in destroyed.text


def test_a_ledger_note_without_a_reference_has_no_stray_separator(
    network: dict[str, Any], lot: Lot, client: Any, login: Any
) -> None:
    client = login(client, network["nurse"])
    client.post(
        url("waste", clinic_id=network["montreal"].pk),
        waste_form(lot, network["physician"], PASSWORD),
    )
    today = str(date.today())
    page = client.get(
        url("ledger", clinic_id=network["montreal"].pk), {"start": today, "end": today}
    ).text
    assert "<td>Remainder of a 70 mg dose</td>" in page
