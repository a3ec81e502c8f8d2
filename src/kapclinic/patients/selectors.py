"""Reads of patient records for screens; each read of health data is audited."""

import re
from datetime import date

from django.db.models import F, Q, QuerySet

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read
from kapclinic.patients.access import access_patient, visible_patients
from kapclinic.patients.models import CareTeamMember, Patient, fold

SEARCH_LIMIT = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A RAMQ number (4 letters, 8 digits) or a BC PHN (10 digits), once spaces are removed.
_HEALTH_NUMBER = re.compile(r"^([A-Z]{4}\d{8}|\d{10})$")


def _search_filter(query: str) -> Q:
    compact = re.sub(r"[\s-]", "", query).upper()
    if _HEALTH_NUMBER.match(compact):
        return Q(health_number=compact)
    if _DATE.match(query):
        try:
            return Q(date_of_birth=date.fromisoformat(query))
        except ValueError:
            return Q(pk__in=[])
    condition = Q()
    for term in fold(query).split():  # "BÉLANGER", "belanger" and "Bélanger" are one name
        condition &= Q(search_key__contains=term)
    return condition


def search_patients(*, by: User, query: str) -> list[Patient]:
    """Patients matching a name, a date of birth (YYYY-MM-DD) or a health number.

    Audit policy for lists: one event for the page, naming the patients shown and carrying the
    query (the access report finds each patient in it: audit_review.selectors.events_about).
    """
    query = query.strip()
    if not query:
        return []
    found: QuerySet[Patient] = (
        visible_patients(by)
        .filter(_search_filter(query), entered_in_error=False)
        .select_related("clinic__jurisdiction")
    )
    patients = list(found[:SEARCH_LIMIT])
    if patients:
        record_list_read(
            actor=by,
            action=Action.SEARCH,
            name="patient_search",
            patient_ids=[p.pk for p in patients],
            query=query[:100],
        )
    return patients


def patient_chart(*, by: User, patient_id: int) -> Patient:
    """The patient record for the chart page, its opening audited."""
    patient = access_patient(by=by, patient_id=patient_id)
    record_event(actor=by, action=Action.READ, patient=patient, target=patient)
    return patient


def care_team_page(*, by: User, patient_id: int) -> tuple[Patient, list[CareTeamMember]]:
    """The patient and every care-team membership, current first, ended ones kept; audited."""
    patient = access_patient(by=by, patient_id=patient_id)
    members = list(
        CareTeamMember.objects.filter(patient=patient)
        .select_related("user")
        .order_by(F("ended_at").desc(nulls_first=True), "started_at", "pk")
    )
    record_event(
        actor=by, action=Action.READ, patient=patient, target=patient, detail={"page": "care_team"}
    )
    return patient, members
