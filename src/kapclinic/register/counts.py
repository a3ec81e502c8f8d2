"""Physical counts and the discrepancies they reveal.

A count states what is on the shelf. When it differs from the ledger, the ledger is brought
to the counted figure by a count adjustment (so the balance stays true and never negative)
and a Discrepancy is opened; missing stock must be reported to Health Canada within 10 days
of discovery (clinical.ledger.LOSS_REPORT_WITHIN).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.ledger import EntryKind
from kapclinic.clinics.models import Clinic
from kapclinic.register.errors import RegisterCode, RegisterError
from kapclinic.register.models import Count, Discrepancy, DiscrepancyKind, Lot
from kapclinic.register.posting import locked_balance, post_entry


@transaction.atomic
def record_count(
    *,
    by: User,
    clinic: Clinic,
    lot: Lot,
    counted_mg: int,
    kind: str = DiscrepancyKind.UNEXPLAINED,
    explanation: str = "",
) -> Count:
    """Store the count; reconcile the ledger and open a discrepancy when they differ."""
    if counted_mg < 0:
        raise RegisterError(_("A count cannot be negative."), code=RegisterCode.COUNT_NEGATIVE)
    balance = locked_balance(clinic, lot)
    expected = balance.quantity_mg
    count = Count(
        clinic=clinic, lot=lot, expected_mg=expected, counted_mg=counted_mg, counted_by=by
    )
    if counted_mg != expected:
        count.adjustment = post_entry(
            by=by,
            clinic=clinic,
            lot=lot,
            balance=balance,
            kind=EntryKind.COUNT_ADJUSTMENT,
            change_mg=counted_mg - expected,
            note=explanation,
        )
    count.save()
    record_event(
        actor=by,
        action=Action.CREATE,
        target=count,
        detail={"expected_mg": expected, "counted_mg": counted_mg},
    )
    if counted_mg != expected:
        _open_discrepancy(by, count, kind, explanation)
    return count


def _open_discrepancy(by: User, count: Count, kind: str, explanation: str) -> Discrepancy:
    discrepancy = Discrepancy.objects.create(
        clinic=count.clinic,
        lot=count.lot,
        count=count,
        kind=kind,
        missing_mg=count.expected_mg - count.counted_mg,
        explanation=explanation,
        discovered_at=count.counted_at,
        discovered_by=by,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        target=discrepancy,
        detail={"kind": kind, "missing_mg": discrepancy.missing_mg},
    )
    return discrepancy


@transaction.atomic
def mark_discrepancy_reported(*, by: User, discrepancy_id: int) -> Discrepancy:
    """Note that the loss or theft report went to Health Canada (once)."""
    discrepancy = Discrepancy.objects.select_for_update().get(pk=discrepancy_id)
    if not discrepancy.needs_report:
        raise RegisterError(
            _("A surplus is not reported to Health Canada."), code=RegisterCode.DISCREPANCY_SURPLUS
        )
    if discrepancy.reported_at is not None:
        raise RegisterError(
            _("This report was already sent."), code=RegisterCode.DISCREPANCY_REPORTED
        )
    discrepancy.reported_at = timezone.now()
    discrepancy.reported_by = by
    discrepancy.save(update_fields=["reported_at", "reported_by"])
    record_event(actor=by, action=Action.UPDATE, target=discrepancy, detail={"reported": True})
    return discrepancy
