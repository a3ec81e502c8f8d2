"""On PostgreSQL, people invoicing at the same moment never bill one service twice, and the
numbers stay a run without gaps."""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from kapclinic.billing.errors import BillingCode
from kapclinic.billing.models import DocumentCounter, Invoice, InvoiceLine
from kapclinic.billing.services import invoice_services
from kapclinic.errors import DomainError
from tests.billing.conftest import deliver
from tests.factories import PatientFactory


def race(attempts: list[Callable[[], object]]) -> tuple[Counter[str], list[BaseException]]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    unexpected: list[BaseException] = []

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait()
            attempt()
            outcomes.append("invoiced")
        except DomainError as refusal:
            outcomes.append(refusal.code)
        except BaseException as error:  # pragma: no cover - reported below
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes), unexpected


@pytest.mark.postgres
def test_ten_people_invoicing_one_service_at_once_give_one_invoice(
    transactional_db: None, billing: dict[str, Any], security_figures: Any
) -> None:
    service = deliver(billing)
    people = [billing["billing"], billing["clinic_admin"]] * 5

    def attempt(by: Any) -> Callable[[], object]:
        return lambda: invoice_services(
            by=by, patient=billing["patient_a"], attendance_ids=[service.pk]
        )

    counts, unexpected = race([attempt(by) for by in people])
    security_figures(
        "invoice_race", attempts=len(people), invoiced=counts["invoiced"], errors=len(unexpected)
    )
    assert unexpected == []
    assert counts == Counter({"invoiced": 1, BillingCode.ALREADY_INVOICED: 9})
    assert InvoiceLine.objects.filter(attendance=service).count() == 1
    # The nine refused attempts rolled back without consuming a number.
    assert DocumentCounter.objects.get(clinic=billing["montreal"]).last_number == 1


@pytest.mark.postgres
def test_invoices_issued_at_once_are_numbered_without_gaps(
    transactional_db: None, billing: dict[str, Any]
) -> None:
    patients = [PatientFactory(clinic=billing["montreal"]) for _ in range(8)]
    services = [deliver(billing, patient=p) for p in patients]

    def attempt(patient: Any, service: Any) -> Callable[[], object]:
        return lambda: invoice_services(
            by=billing["billing"], patient=patient, attendance_ids=[service.pk]
        )

    counts, unexpected = race([attempt(p, s) for p, s in zip(patients, services, strict=True)])
    assert unexpected == [] and counts == Counter({"invoiced": 8})
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
