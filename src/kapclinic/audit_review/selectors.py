"""Reading the audit trail: searches for clinic admins and privacy officers, and the
patient-access report (who looked at a record: the right of access in PIPEDA principle
4.9 and in Quebec's private-sector privacy act, s. 27)."""

from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
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
    clinics = user.clinics.all()
    our_patients = Patient.objects.filter(clinic__in=clinics).values("pk")
    our_staff = User.objects.filter(clinics__in=clinics).values("pk")
    about_our_patients = Q(patient_id__in=our_patients)
    ours_without_patient = Q(patient__isnull=True, actor_id__in=our_staff)
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


def about_patient(events: QuerySet[AuditEvent], patient_id: int) -> Q:
    """Events about a patient: those naming the patient, and the list events (one per page of
    a list, e.g. the intake queue) whose page showed the patient, which name no single one."""
    lists = events.filter(patient__isnull=True, detail__has_key="patients")
    if connection.features.supports_json_field_contains:
        shown = Q(patient__isnull=True, detail__patients__contains=[patient_id])
    else:  # SQLite has no JSON containment: the list events' patients are read here
        rows = lists.values_list("pk", "detail")
        shown = Q(pk__in=[pk for pk, detail in rows if patient_id in detail["patients"]])
    return Q(patient_id=patient_id) | shown


def search_events(
    *,
    by: User,
    patient_id: int | None = None,
    user_email: str = "",
    start: date | None = None,
    end: date | None = None,
) -> list[AuditEvent]:
    """Audit events within the searcher's clinics, newest first; the search itself is audited."""
    events = _scope(by).filter(_day_bounds(start, end))
    if patient_id:
        events = events.filter(about_patient(events, patient_id))
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
    events = _scope(by).filter(_day_bounds(start, end), action__in=VIEWING_ACTIONS)
    events = events.filter(about_patient(events, patient.pk))
    found = list(events.order_by("occurred_at", "id"))
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
