"""Reads of the register for its pages and exports; each read is an audit event."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet, Sum

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinics.models import Clinic
from kapclinic.register.access import access_discrepancy, access_entry
from kapclinic.register.models import Balance, Discrepancy, LedgerEntry, Lot, Product


def _entries(clinic: Clinic) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(clinic=clinic).select_related(
        "lot__product", "recorded_by", "witness"
    )


def stock_on_hand(*, by: User, clinic: Clinic) -> list[Balance]:
    """Every lot the clinic has held, by product and expiry, with its balance."""
    balances = list(
        Balance.objects.filter(clinic=clinic)
        .select_related("lot__product")
        .order_by("lot__product__name", "lot__expiry", "lot__number")
    )
    record_event(actor=by, action=Action.READ, target=clinic, detail={"register": "balances"})
    return balances


def open_discrepancies(*, clinic: Clinic) -> QuerySet[Discrepancy]:
    """Shown beside the balances the page already audited."""
    return Discrepancy.objects.filter(clinic=clinic, reported_at__isnull=True).select_related(
        "lot__product"
    )


def day_bounds(clinic: Clinic, start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end`, in the clinic's time zone."""
    begin = datetime.combine(start, time.min, tzinfo=clinic.tzinfo)
    return begin, datetime.combine(end + timedelta(days=1), time.min, tzinfo=clinic.tzinfo)


def ledger_entries(
    *, by: User, clinic: Clinic, start: date, end: date, product: Product | None = None
) -> QuerySet[LedgerEntry]:
    """The clinic's entries in the period (clinic days, inclusive), optionally of one product."""
    begin, finish = day_bounds(clinic, start, end)
    entries = _entries(clinic).filter(recorded_at__gte=begin, recorded_at__lt=finish)
    if product is not None:
        entries = entries.filter(lot__product=product)
    record_event(
        actor=by,
        action=Action.SEARCH,
        target=clinic,
        detail={
            "register": "ledger",
            "start": str(start),
            "end": str(end),
            "product": product and product.pk,
        },
    )
    return entries


def ledger_entry(*, by: User, clinic: Clinic, entry_id: int) -> LedgerEntry:
    entry = access_entry(by=by, clinic=clinic, entry_id=entry_id)
    record_event(actor=by, action=Action.READ, target=entry)
    return entry


def discrepancy_detail(*, by: User, discrepancy_id: int, export: str = "") -> Discrepancy:
    """The discrepancy, for its page (a read) or its pre-filled report (an export)."""
    discrepancy = access_discrepancy(by=by, discrepancy_id=discrepancy_id)
    action = Action.EXPORT if export else Action.READ
    detail = {"format": export} if export else {}
    record_event(actor=by, action=action, target=discrepancy, detail=detail)
    return discrepancy


@dataclass
class LotReport:
    lot: Lot
    opening_mg: int
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def closing_mg(self) -> int:
        return self.opening_mg + sum(e.quantity_mg for e in self.entries)


@dataclass(frozen=True)
class RegisterReport:
    clinic: Clinic
    start: date
    end: date
    lots: list[LotReport]


def register_report(
    *, by: User, clinic: Clinic, start: date, end: date, export: str
) -> RegisterReport:
    """Opening balance, every entry and closing balance per lot, for an inspection period."""
    begin, finish = day_bounds(clinic, start, end)
    before = LedgerEntry.objects.filter(clinic=clinic, recorded_at__lt=begin)
    opening = dict(before.values_list("lot_id").annotate(total=Sum("quantity_mg")))
    period = list(_entries(clinic).filter(recorded_at__gte=begin, recorded_at__lt=finish))
    held = {lot_id for lot_id, total in opening.items() if total} | {e.lot_id for e in period}
    lots = {
        lot.pk: LotReport(lot=lot, opening_mg=opening.get(lot.pk, 0))
        for lot in Lot.objects.filter(pk__in=held).select_related("product")
    }
    for entry in period:
        lots[entry.lot_id].entries.append(entry)
    ordered = sorted(lots.values(), key=lambda r: (r.lot.product.name, r.lot.expiry, r.lot.number))
    record_event(
        actor=by,
        action=Action.EXPORT,
        target=clinic,
        detail={"register": "report", "start": str(start), "end": str(end), "format": export},
    )
    return RegisterReport(clinic=clinic, start=start, end=end, lots=ordered)
