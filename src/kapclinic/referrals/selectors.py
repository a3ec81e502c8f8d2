"""Reads of referrals for the queue, the detail page, the referrer portal and the SLA figures."""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_reads
from kapclinic.errors import NotFound
from kapclinic.patients.access import visible_patients as visible_patients_of
from kapclinic.referrals.access import access_referral, visible_referrals
from kapclinic.referrals.models import AWAITING_CONTACT, Referral, Status

OPEN = (Status.RECEIVED, Status.CONTACTED, Status.SCREENING_BOOKED, Status.UNABLE_TO_CONTACT)


def _audited_list(by: Any, referrals: list[Referral], name: str) -> list[Referral]:
    """One audit event per patient a list shows (patients selected with the referrals); a
    referral not linked to a record yet (a referrer's draft) is audited as the referral."""
    record_reads(
        actor=by,
        shown=[(r.patient, r.patient) if r.patient_id else (None, r) for r in referrals],
        action=Action.SEARCH,
        detail={"list": name},
    )
    return referrals


def intake_queue(*, by: Any) -> list[Referral]:
    """Open referrals, those awaiting contact first by time left; each patient shown is audited."""
    waiting_first = Case(
        When(status__in=AWAITING_CONTACT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    queue = list(
        visible_referrals(by)
        .select_related("patient")
        .filter(status__in=OPEN)
        .order_by(waiting_first, "contact_due_at", "received_at", "id")
    )
    return _audited_list(by, queue, "intake_queue")


def referral_detail(*, by: Any, referral_id: int) -> Referral:
    referral = access_referral(by=by, referral_id=referral_id)
    record_event(actor=by, action=Action.READ, patient=referral.patient, target=referral)
    return referral


@dataclass(frozen=True)
class ProposedRecord:
    """A record proposed for a referral: shown in full only when the reader may open it,
    otherwise only the clinic that holds it."""

    clinic: str
    patient: Any = None


def proposed_record(*, by: Any, referral: Referral) -> ProposedRecord | None:
    """The proposed existing record of a referral awaiting reconciliation; its reading is
    audited as a read of that patient."""
    if referral.proposed_patient_id is None:
        return None
    proposed = (
        visible_patients_of(by).filter(pk=referral.proposed_patient_id).select_related("clinic")
    ).first()
    if proposed is None or proposed.clinic_id != referral.clinic_id:
        clinic = referral.proposed_patient.clinic.name
        return ProposedRecord(clinic=clinic)
    record_event(
        actor=by,
        action=Action.READ,
        patient=proposed,
        target=proposed,
        detail={"proposed_for": referral.number},
    )
    return ProposedRecord(clinic=proposed.clinic.name, patient=proposed)


def faxed_form(*, by: Any, referral_id: int) -> Referral:
    """The referral whose faxed PDF is being downloaded; the download is audited."""
    referral = access_referral(by=by, referral_id=referral_id)
    if not referral.fax_document:
        raise NotFound(_("This referral has no faxed form."))
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=referral.patient,
        target=referral,
        detail={"file": "fax_document"},
    )
    return referral


def referrals_sent_by(*, by: Any) -> list[Referral]:
    """The referrer's own referrals, newest first, with their status history."""
    referrals = list(
        visible_referrals(by)
        .select_related("patient")
        .prefetch_related("status_changes")
        .order_by("-created_at", "-id")
    )
    return _audited_list(by, referrals, "referrer_portal")


@dataclass(frozen=True)
class WeekFigure:
    clinic: str
    week: date
    received: int
    contacted_in_time: int

    @property
    def share(self) -> float:
        return self.contacted_in_time / self.received if self.received else 0.0


@dataclass(frozen=True)
class SlaFigures:
    weeks: list[WeekFigure]
    median_hours_to_contact: float | None
    overall_percent: float | None


def sla_figures(*, by: Any, weeks: int = 12) -> SlaFigures:
    """Share contacted within the promise by clinic and week, and the median time to contact."""
    since = timezone.now() - timedelta(weeks=weeks)
    now = timezone.now()
    # Only referrals whose outcome is known: contacted, or past due without contact.
    referrals = visible_referrals(by).filter(
        Q(first_contact_at__isnull=False) | Q(contact_due_at__lte=now),
        received_at__gte=since,
        contact_due_at__isnull=False,
    )
    buckets: dict[tuple[str, date], list[bool]] = {}
    delays = []
    for r in referrals:
        local = timezone.localtime(r.received_at, r.clinic.tzinfo).date()
        monday = local - timedelta(days=local.weekday())
        buckets.setdefault((r.clinic.name, monday), []).append(bool(r.contacted_in_time))
        if r.first_contact_at:
            delays.append((r.first_contact_at - r.received_at).total_seconds() / 3600)
    figures = [
        WeekFigure(clinic, week, len(flags), sum(flags))
        for (clinic, week), flags in sorted(buckets.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    total = sum(f.received for f in figures)
    percent = round(100 * sum(f.contacted_in_time for f in figures) / total, 1) if total else None
    return SlaFigures(figures, round(median(delays), 1) if delays else None, percent)
