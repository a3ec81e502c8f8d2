"""Invoice and credit-note numbers: per clinic, in order, with no gap and never reused.

The clinic's counter row is locked (select_for_update) and moved forward inside the
transaction that writes the document: a second issuer waits for the first to commit, and a
transaction that rolls back takes its number back with it. Numbers read
`QC1-2026-000123` (invoices) and `QC1-CN-2026-000004` (credit notes): the prefix names the
clinic, the year is the issue date's; the sequence runs on across years.
"""

from datetime import date

from django.db import IntegrityError, transaction

from kapclinic.billing.models import DocumentCounter, Series
from kapclinic.clinics.models import Clinic

SERIES_MARK = {Series.INVOICE: "", Series.CREDIT_NOTE: "CN-"}


def _counter(clinic: Clinic, series: Series) -> DocumentCounter:
    """The locked counter, created on first use (a racing creator is caught and re-read)."""
    counters = DocumentCounter.objects.select_for_update()
    found = counters.filter(clinic=clinic, series=series).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            DocumentCounter.objects.create(
                clinic=clinic, series=series, prefix=f"{clinic.province}{clinic.pk}"
            )
    except IntegrityError:
        pass  # another transaction created it first: lock theirs
    return counters.get(clinic=clinic, series=series)


def next_number(clinic: Clinic, series: Series, on: date) -> tuple[int, str]:
    """The next (sequence, number) of the series; call inside the issuing transaction."""
    counter = _counter(clinic, series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, (
        f"{counter.prefix}-{SERIES_MARK[series]}{on.year}-{counter.last_number:06d}"
    )
