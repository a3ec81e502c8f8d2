"""Reads for recordings: lists carry no video, and each list shown is audited as one event
naming its patients."""

from typing import Any

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_list_read, record_page_read
from kapclinic.recordings.access import recording_patients
from kapclinic.recordings.models import Recording, Status


def recent(*, by: User, limit: int = 50) -> list[Recording]:
    recordings = list(
        Recording.objects.filter(status=Status.AVAILABLE, patient__in=recording_patients(by))
        .select_related("patient", "session__clinic", "session__attendance")
        .order_by("-started_at", "-id")[:limit]
    )
    if recordings:
        record_list_read(
            actor=by,
            action=Action.SEARCH,
            name="recordings",
            patient_ids=[r.patient_id for r in recordings],
            view="recordings",
        )
    return recordings


def of_session(*, by: User, session: Any) -> list[Recording]:
    recordings = list(
        Recording.objects.filter(session=session, status=Status.AVAILABLE).select_related(
            "uploaded_by"
        )
    )
    record_page_read(actor=by, patient=session.patient, page="session recordings")
    return recordings
