"""A patient's request for a copy of a recording: the privacy officer decides, and an approval
gives the patient a download that ends after a while. A recording with other people in it is
flagged: it is released only once the privacy officer confirms they were reviewed (severed)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read
from kapclinic.dosing.access import require_role
from kapclinic.errors import NotFound
from kapclinic.recordings.access import PRIVACY_ROLES, recording_patients
from kapclinic.recordings.errors import RecordingError
from kapclinic.recordings.models import (
    AccessRequest,
    AccessRequestStatus,
    PlaybackGrant,
    Recording,
    Status,
)


def own_recordings(*, by: User) -> list[Recording]:
    """The patient's own stored recordings, each with its latest request."""
    recordings = list(
        Recording.objects.filter(patient__user=by, status=Status.AVAILABLE)
        .select_related("session__attendance", "session__clinic")
        .prefetch_related("requests__grant")
    )
    if recordings:
        record_event(
            actor=by,
            action=Action.READ,
            patient=recordings[0].patient,
            detail={"view": "my recordings"},
        )
    return recordings


@transaction.atomic
def request_copy(*, by: User, recording_id: int) -> AccessRequest:
    require_role(by, frozenset({Role.PATIENT}), _("Only the patient asks for their own copy."))
    recording = Recording.objects.filter(
        pk=recording_id, patient__user=by, status=Status.AVAILABLE
    ).first()
    if recording is None:
        raise NotFound(_("No recording was found."))
    if recording.requests.filter(status=AccessRequestStatus.PENDING).exists():
        raise RecordingError(_("Your request is already with the privacy officer."))
    request = AccessRequest.objects.create(recording=recording, requested_by=by)
    record_event(actor=by, action=Action.CREATE, patient=recording.patient, target=request)
    return request


def pending(*, by: User) -> list[AccessRequest]:
    require_role(by, PRIVACY_ROLES, _("Only the privacy officer decides access requests."))
    found = list(
        AccessRequest.objects.filter(
            status=AccessRequestStatus.PENDING, recording__patient__in=recording_patients(by)
        ).select_related("recording__patient", "recording__session__attendance")
    )
    if found:
        record_list_read(
            actor=by,
            action=Action.SEARCH,
            name="recording_requests",
            patient_ids=[item.recording.patient_id for item in found],
            view="requests",
        )
    return found


@transaction.atomic
def decide(
    *, by: User, request_id: int, approve: bool, note: str = "", others_reviewed: bool = False
) -> AccessRequest:
    require_role(by, PRIVACY_ROLES, _("Only the privacy officer decides access requests."))
    request = (
        AccessRequest.objects.select_for_update()
        .filter(pk=request_id, recording__patient__in=recording_patients(by))
        .select_related("recording__patient")
        .first()
    )
    if request is None or request.status != AccessRequestStatus.PENDING:
        raise NotFound(_("No pending request was found."))
    recording = request.recording
    if approve and recording.third_parties_present and not others_reviewed:
        raise RecordingError(
            _(
                "Other people appear in this recording: confirm that they were reviewed and "
                "severed before releasing it."
            )
        )
    if approve:
        hours = settings.RECORDINGS_PATIENT_DOWNLOAD_HOURS
        request.grant = PlaybackGrant.objects.create(
            recording=recording,
            user=request.requested_by,
            reason=_("Patient access request %(number)s") % {"number": request.pk},
            for_patient=True,
            expires_at=timezone.now() + timedelta(hours=hours),
        )
    request.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.decision_note = note.strip()
    request.save()
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=recording.patient,
        target=request,
        reason=request.decision_note,
        detail={"approved": approve, "others_reviewed": others_reviewed},
    )
    return request
