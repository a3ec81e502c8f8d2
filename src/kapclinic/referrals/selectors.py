"""Reads of referrals for the queue, the detail page, the referrer portal and the SLA figures."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read, record_reads
from kapclinic.clinics.models import Clinic
from kapclinic.errors import NotFound
from kapclinic.patients.access import visible_patients as visible_patients_of
from kapclinic.referrals.access import access_referral, visible_referrals
from kapclinic.referrals.files import UNKNOWN, sniff_file
from kapclinic.referrals.models import (
    AWAITING_CONTACT,
    Channel,
    IntakeSlot,
    Referral,
    ReferralAttachment,
    Status,
)

OPEN = (Status.RECEIVED, Status.CONTACTED, Status.SCREENING_BOOKED, Status.UNABLE_TO_CONTACT)


def _audited_list(by: User, referrals: list[Referral], name: str) -> list[Referral]:
    """One audit event per patient a list shows (patients selected with the referrals); a
    referral not linked to a record yet (a referrer's draft) is audited as the referral."""
    record_reads(
        actor=by,
        shown=[(r.patient, r.patient) if r.patient is not None else (None, r) for r in referrals],
        action=Action.SEARCH,
        detail={"list": name},
    )
    return referrals


# The intake queue's tabs. The default one holds what needs the coordinator now (not yet
# reached, or reached and not yet booked); a referral booked for screening, or that could not
# be reached, moves to its own tab, where it stays until its status changes: never forgotten,
# and never crowding out the new ones.
QUEUE_TABS: dict[str, tuple[str, ...]] = {
    "waiting": (Status.RECEIVED, Status.CONTACTED),
    "screening_booked": (Status.SCREENING_BOOKED,),
    "unable_to_contact": (Status.UNABLE_TO_CONTACT,),
}
# Rows per page: a screen's worth; the page costs the same whatever the queue's length.
QUEUE_PAGE_SIZE = 50
# The columns a row of the queue reads (queue.html, _time_left.html) and its audit event.
QUEUE_ROW_FIELDS = (
    "number",
    "status",
    "given_name",
    "family_name",
    "flags",
    "patient_id",
    "contact_due_at",
    "first_contact_at",
    "clinic__name",
    "condition__name_en",
    "condition__name_fr",
)


@dataclass(frozen=True)
class QueuePage:
    tab: str
    referrals: list[Referral]
    number: int
    pages: int
    counts: dict[str, int]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def intake_queue(*, by: User, tab: str = "waiting", page: int = 1) -> QueuePage:
    """One page of one tab of the open referrals, those awaiting contact first by time left,
    with every tab's count; the page shown is audited as one list event naming its patients."""
    if tab not in QUEUE_TABS:
        tab = "waiting"
    open_referrals = visible_referrals(by).filter(status__in=OPEN)
    counts = open_referrals.aggregate(
        **{
            name: Count("id", filter=Q(status__in=statuses))
            for name, statuses in QUEUE_TABS.items()
        }
    )
    pages = max(1, -(-counts[tab] // QUEUE_PAGE_SIZE))
    number = min(max(1, page), pages)
    waiting_first = Case(
        When(status__in=AWAITING_CONTACT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    start = (number - 1) * QUEUE_PAGE_SIZE
    referrals = list(
        # Only what a row shows: the access policy's joins (referrer, proposed patient, the
        # clinic's jurisdiction) made each row 13 kB wide and the plan seven joins deep.
        open_referrals.select_related(None)
        .select_related("clinic", "condition")
        .only(*QUEUE_ROW_FIELDS)
        .filter(status__in=QUEUE_TABS[tab])
        .order_by(waiting_first, "contact_due_at", "received_at", "id")[
            start : start + QUEUE_PAGE_SIZE
        ]
    )
    record_list_read(
        actor=by,
        action=Action.SEARCH,
        name="intake_queue",
        patient_ids=[r.patient_id for r in referrals if r.patient_id],
        tab=tab,
        page=number,
    )
    return QueuePage(tab, referrals, number, pages, counts)


def referral_detail(*, by: User, referral_id: int) -> Referral:
    referral = access_referral(by=by, referral_id=referral_id)
    record_event(actor=by, action=Action.READ, patient=referral.patient, target=referral)
    return referral


def masked_health_number(number: str) -> str:
    """All but the last four characters hidden: enough to tell two records apart on the phone,
    not enough to bill or to impersonate (the full number is shown where it is compared)."""
    if not number:
        return ""
    visible = number[-4:]
    return "\u2022" * (len(number) - len(visible)) + visible


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a referral's history: a status change or a contact attempt."""

    at: datetime
    by: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class ReferralPage:
    """What the staff referral page shows, read in a fixed number of queries."""

    referral: Referral
    attachments: list[ReferralAttachment]
    history: list[HistoryEntry]
    health_number: str
    booked_call: IntakeSlot | None


def _history(referral: Referral) -> list[HistoryEntry]:
    changes = [
        HistoryEntry(
            at=c.at,
            by=str(c.by or ""),
            what=_("Status: %(status)s") % {"status": c.get_to_status_display()},
            note=c.reason,
        )
        for c in referral.status_changes.select_related("by")
    ]
    attempts = [
        HistoryEntry(
            at=a.at,
            by=str(a.by),
            what=_("Contact attempt (%(method)s): %(outcome)s")
            % {"method": a.get_method_display(), "outcome": a.get_outcome_display()},
            note=a.note,
        )
        for a in referral.attempts.select_related("by")
    ]
    return sorted(changes + attempts, key=lambda entry: entry.at)


def referral_page(*, by: User, referral_id: int) -> ReferralPage:
    """The referral as the referrer sent it, with its files and history; the read is audited."""
    referral = referral_detail(by=by, referral_id=referral_id)
    return ReferralPage(
        referral=referral,
        attachments=list(referral.attachments.order_by("uploaded_at", "id")),
        history=_history(referral),
        health_number=masked_health_number(referral.health_number),
        booked_call=(
            IntakeSlot.objects.filter(referral=referral).select_related("coordinator").first()
            if referral.channel == Channel.SELF
            else None
        ),
    )


@dataclass(frozen=True)
class AttachmentDownload:
    """An attachment about to be sent, with the content type its bytes announce."""

    attachment: ReferralAttachment
    content_type: str

    @property
    def inline(self) -> bool:
        """Shown in the browser only when it is one of the kinds we accept; else downloaded."""
        return self.content_type != UNKNOWN


def referral_attachment(*, by: User, referral_id: int, attachment_id: object) -> AttachmentDownload:
    """An attachment of a referral the reader may open, looked up through that referral (an id
    from another referral is not found); its content type is sniffed and the download audited."""
    referral = access_referral(by=by, referral_id=referral_id)
    attachment = child_of(
        referral, ReferralAttachment, attachment_id, missing=_("No such attachment was found.")
    )
    try:
        with attachment.file.open("rb") as handle:
            content_type = sniff_file(handle) or UNKNOWN
    except OSError as error:  # the row outlived its file (a restore without the media)
        raise NotFound(_("The file of this attachment is missing.")) from error
    record_event(
        actor=by,
        action=Action.EXPORT,
        patient=referral.patient,
        target=attachment,
        detail={
            "referral": referral.number,
            "attachment": attachment.original_name,
            "content_type": content_type,
        },
    )
    return AttachmentDownload(attachment=attachment, content_type=content_type)


@dataclass(frozen=True)
class ProposedRecord:
    """A record proposed for a referral: shown in full only when the reader may open it,
    otherwise only the clinic that holds it."""

    clinic: str
    patient: Any = None


def proposed_record(*, by: User, referral: Referral) -> ProposedRecord | None:
    """The proposed existing record of a referral awaiting reconciliation; its reading is
    audited as a read of that patient."""
    if referral.proposed_patient_id is None:
        return None
    proposed = (
        visible_patients_of(by).filter(pk=referral.proposed_patient_id).select_related("clinic")
    ).first()
    if proposed is None or proposed.clinic_id != referral.clinic_id:
        other = referral.proposed_patient  # set: proposed_patient_id was checked above
        return ProposedRecord(clinic=other.clinic.name if other is not None else "")
    record_event(
        actor=by,
        action=Action.READ,
        patient=proposed,
        target=proposed,
        detail={"proposed_for": referral.number},
    )
    return ProposedRecord(clinic=proposed.clinic.name, patient=proposed)


def faxed_form(*, by: User, referral_id: int) -> Referral:
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


def referrals_sent_by(*, by: User) -> list[Referral]:
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


class _Median(Aggregate):
    """PostgreSQL's median (percentile_cont works on intervals too)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_hours(referrals: QuerySet[Referral]) -> float | None:
    contacted = referrals.filter(first_contact_at__isnull=False)
    delay = ExpressionWrapper(
        F("first_contact_at") - F("received_at"), output_field=DurationField()
    )
    if connection.vendor == "postgresql":
        found = contacted.aggregate(median=_Median(delay, output_field=DurationField()))["median"]
        return round(found.total_seconds() / 3600, 1) if found is not None else None
    # SQLite (the demo) has no median aggregate: the delays, one number each.
    delays = [
        d.total_seconds() / 3600 for d in contacted.annotate(d=delay).values_list("d", flat=True)
    ]
    return round(median(delays), 1) if delays else None


def sla_figures(*, by: User, weeks: int = 12) -> SlaFigures:
    """Share contacted within the promise by clinic and week, and the median time to contact:
    grouped and counted by the database, in three queries whatever the number of referrals."""
    since = timezone.now() - timedelta(weeks=weeks)
    now = timezone.now()
    # Only referrals whose outcome is known: contacted, or past due without contact.
    referrals = visible_referrals(by).filter(
        Q(first_contact_at__isnull=False) | Q(contact_due_at__lte=now),
        received_at__gte=since,
        contact_due_at__isnull=False,
    )
    # Each clinic's week starts on Monday in its own time zone.
    zones = sorted(set(Clinic.objects.values_list("time_zone", flat=True)))
    week = Case(
        *(
            When(
                clinic__time_zone=zone,
                then=TruncWeek("received_at", output_field=DateField(), tzinfo=ZoneInfo(zone)),
            )
            for zone in zones
        ),
        output_field=DateField(),
    )
    rows = (
        referrals.annotate(week=week)
        .values("clinic__name", "week")
        .annotate(
            received=Count("id"),
            in_time=Count("id", filter=Q(first_contact_at__lte=F("contact_due_at"))),
        )
        .order_by("week", "clinic__name")
    )
    figures = [
        WeekFigure(row["clinic__name"], row["week"], row["received"], row["in_time"])
        for row in rows
    ]
    total = sum(f.received for f in figures)
    percent = round(100 * sum(f.contacted_in_time for f in figures) / total, 1) if total else None
    return SlaFigures(figures, _median_hours(referrals), percent)
