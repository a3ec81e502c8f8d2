"""The register for an inspector (CSV and PDF) and the pre-filled Health Canada loss or theft
report, rendered by WeasyPrint from HTML templates as the referral letters are."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from kapclinic.clinical.ledger import EntryKind
from kapclinic.register.models import KIND_LABELS, Discrepancy, LedgerEntry
from kapclinic.register.selectors import RegisterReport
from kapclinic.spreadsheets import csv_text

CSV_HEADER = (
    "clinic",
    "product",
    "form",
    "strength_mg",
    "lot",
    "expiry",
    "recorded_at",
    "kind",
    "quantity_mg",
    "balance_after_mg",
    "recorded_by",
    "witness",
    "reference",
    "session_ref",
    "reverses_entry",
    "note",
)


def _local(report: RegisterReport, entry: LedgerEntry) -> str:
    return timezone.localtime(entry.recorded_at, report.clinic.tzinfo).strftime("%Y-%m-%d %H:%M")


def _csv_row(report: RegisterReport, entry: LedgerEntry) -> list[Any]:
    lot = entry.lot
    return [
        report.clinic.name,
        lot.product.name,
        lot.product.get_form_display(),
        lot.product.strength_mg,
        lot.number,
        lot.expiry.isoformat(),
        _local(report, entry),
        KIND_LABELS[EntryKind(entry.kind)],
        entry.quantity_mg,
        entry.balance_after_mg,
        entry.recorded_by.full_name,
        entry.witness.full_name if entry.witness else "",
        entry.reference,
        entry.session_ref,
        entry.reverses_id or "",
        entry.note,
    ]


def _balance_row(
    report: RegisterReport, lot: Any, day: date, label: str, quantity: int
) -> list[Any]:
    product = lot.product
    head = [report.clinic.name, product.name, product.get_form_display(), product.strength_mg]
    return [*head, lot.number, lot.expiry.isoformat(), day.isoformat(), label, "", quantity]


def register_csv(report: RegisterReport) -> str:
    """One row per entry, framed by each lot's opening and closing balance."""
    return csv_text(_register_rows(report))


def _register_rows(report: RegisterReport) -> Iterator[Iterable[Any]]:
    yield CSV_HEADER
    for lot_report in report.lots:
        lot = lot_report.lot
        opening, closing = _("Opening balance"), _("Closing balance")
        yield _balance_row(report, lot, report.start, opening, lot_report.opening_mg)
        yield from (_csv_row(report, entry) for entry in lot_report.entries)
        yield _balance_row(report, lot, report.end, closing, lot_report.closing_mg)


def register_html(report: RegisterReport) -> str:
    return render_to_string(
        "register/report_pdf.html", {"report": report, "printed_at": timezone.now()}
    )


def register_pdf(report: RegisterReport) -> bytes:
    return HTML(string=register_html(report)).write_pdf()


def loss_report_html(discrepancy: Discrepancy) -> str:
    return render_to_string(
        "register/loss_report.html", {"discrepancy": discrepancy, "clinic": discrepancy.clinic}
    )


def loss_report_pdf(discrepancy: Discrepancy) -> bytes:
    return HTML(string=loss_report_html(discrepancy)).write_pdf()
