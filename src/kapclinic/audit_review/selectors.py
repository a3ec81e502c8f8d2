"""Reading the audit trail: searches for clinic admins and privacy officers, and the
patient-access report (who looked at a record: the right of access in PIPEDA principle
4.9 and in Quebec's private-sector privacy act, s. 27)."""

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action, AuditEvent
from kapclinic.audit.services import record_event
from kapclinic.errors import NotFound
from kapclinic.patients.models import Patient

PAGE_SIZE = 200
# Actions that disclose a patient's record to the person who did them.
VIEWING_ACTIONS = (Action.READ, Action.SEARCH, Action.EXPORT)


def _our_patients(user: User) -> QuerySet[Patient]:
    """The patients whose trail `user` reads: of their clinics, or of the whole network."""
    if user.network_wide:
        return Patient.objects.all()
    return Patient.objects.filter(clinic__in=user.clinics.all())


def _our_staff(user: User) -> QuerySet[User]:
    return User.objects.filter(clinics__in=user.clinics.all())


def _scope(user: User) -> QuerySet[AuditEvent]:
    """The events `user` may read: those about a patient of their clinics (whoever acted,
    even staff of another clinic), and those about no patient done by their clinics' staff.

    An event about a patient follows the patient's clinic, never the actor's: an admin of
    clinic A reads nothing of clinic B's patients, even what A's own staff did to them.

    Written with subqueries rather than joins: a join through the clinics' staff repeats rows
    and needs a DISTINCT, which sorts every event of the range before the page is cut."""
    events = AuditEvent.objects.select_related("patient", "actor")
    if user.network_wide:
        return events
    about_our_patients = Q(patient_id__in=_our_patients(user).values("pk"))
    ours_without_patient = Q(patient__isnull=True, actor_id__in=_our_staff(user).values("pk"))
    return events.filter(about_our_patients | ours_without_patient)


def visible_events(user: User) -> QuerySet[AuditEvent]:
    """The events `user` may read (the FHIR AuditEvent search starts from here too)."""
    return _scope(user)


def _day_bounds(start: date | None, end: date | None) -> Q:
    condition = Q()
    zone = timezone.get_current_timezone()
    if start:
        condition &= Q(occurred_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        condition &= Q(occurred_at__lte=datetime.combine(end, time.max, tzinfo=zone))
    return condition


def _lists_showing(events: QuerySet[AuditEvent], patient_ids: list[int]) -> dict[int, Q]:
    """Per patient, the list events among `events` whose page showed them."""
    if connection.features.supports_json_field_contains:
        return {pk: Q(patient__isnull=True, detail__patients__contains=[pk]) for pk in patient_ids}
    # SQLite has no JSON containment: the list events' patients are read here, in one query.
    showing: dict[int, list[int]] = {pk: [] for pk in patient_ids}
    lists = events.filter(patient__isnull=True, detail__has_key="patients")
    for event_id, detail in lists.values_list("pk", "detail"):
        for pk in showing.keys() & set(detail["patients"]):
            showing[pk].append(event_id)
    return {pk: Q(pk__in=event_ids) for pk, event_ids in showing.items()}


def events_about(
    user: User, patient_ids: Iterable[int], within: Q | None = None
) -> QuerySet[AuditEvent]:
    """The events `user` may read about any of these patients (and matching `within`): those
    naming the patient, and the list events (one per page of a list: the intake queue, the
    patient search, My tasks...) whose page showed the patient, which name no single one.

    A list event is read as an event naming the patient would be: by the patient's clinic,
    whoever showed the page (a network-wide director, a referrer); and, as any event about no
    patient, by the clinic of the staff who showed it. The access report, the audit search by
    patient and the FHIR AuditEvent search by patient all read through here."""
    ids = sorted(set(patient_ids))
    events = AuditEvent.objects.select_related("patient", "actor").filter(within or Q())
    listed = _lists_showing(events, ids) if ids else {}
    condition = Q(pk__in=[])
    for pk in ids:
        about = Q(patient_id=pk) | listed[pk]
        if user.network_wide:
            condition |= about
        else:
            ours = Q(Exists(_our_patients(user).filter(pk=pk)))
            by_our_staff = listed[pk] & Q(actor_id__in=_our_staff(user).values("pk"))
            condition |= (ours & about) | by_our_staff
    return events.filter(condition)


def search_events(
    *,
    by: User,
    patient_id: int | None = None,
    user_email: str = "",
    start: date | None = None,
    end: date | None = None,
) -> list[AuditEvent]:
    """Audit events within the searcher's clinics, newest first; the search itself is audited."""
    if patient_id:
        events = events_about(by, [patient_id], within=_day_bounds(start, end))
    else:
        events = _scope(by).filter(_day_bounds(start, end))
    if user_email:
        # On the indexed actor id (the label is a snapshot, matched only by a full scan).
        actors = User.objects.filter(email__iexact=user_email.strip()).values("pk")
        events = events.filter(actor_id__in=actors)
    found = list(events.order_by("-occurred_at", "-id")[:PAGE_SIZE])
    filters = {
        "patient": patient_id,
        "user": user_email,
        "start": str(start or ""),
        "end": str(end or ""),
    }
    record_event(actor=by, action=Action.SEARCH, detail={"audit_search": filters})
    return found


def patient_access_report(
    *, by: User, patient: Any, start: date | None = None, end: date | None = None
) -> list[AuditEvent]:
    """Every time someone saw this patient's record, or the patient in a list, oldest first."""
    within = _day_bounds(start, end) & Q(action__in=VIEWING_ACTIONS)
    found = list(events_about(by, [patient.pk], within=within).order_by("occurred_at", "id"))
    record_event(actor=by, action=Action.READ, patient=patient, detail={"report": "patient_access"})
    return found


def auditable_patient(*, by: User, patient_id: int) -> Patient:
    """A patient whose audit trail `by` may read (their clinics, or the whole network)."""
    patients = Patient.objects.select_related("clinic")
    if not by.network_wide:
        patients = patients.filter(clinic__in=by.clinics.all())
    found = patients.filter(pk=patient_id).first()
    if found is None:
        raise NotFound(_("No patient record was found."))
    return found
