"""Retention, legal hold and destruction; key rotation.

Retention is configuration (settings.RECORDINGS_*RETENTION_DAYS): a clinic's own value, else its
province's, else the default. Destruction deletes the stored ciphertext and the wrapped data key
(without the key no copy of the ciphertext can be read) and writes a DestructionRecord that
keeps what was destroyed; the recording row stays, marked destroyed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.dosing.access import require_role
from kapclinic.recordings import storage
from kapclinic.recordings.access import PRIVACY_ROLES
from kapclinic.recordings.capture import discard_upload, staging_path
from kapclinic.recordings.errors import RecordingError
from kapclinic.recordings.keys import key_wrapper
from kapclinic.recordings.models import DestructionRecord, Recording, Status


def retention_days(clinic: Any) -> tuple[int, str]:
    """Days a clinic keeps recordings, and which setting said so."""
    if clinic.name in settings.RECORDINGS_CLINIC_RETENTION_DAYS:
        return settings.RECORDINGS_CLINIC_RETENTION_DAYS[clinic.name], f"clinic {clinic.name}"
    province = clinic.jurisdiction.province
    if province in settings.RECORDINGS_RETENTION_DAYS:
        return settings.RECORDINGS_RETENTION_DAYS[province], f"province {province}"
    return settings.RECORDINGS_DEFAULT_RETENTION_DAYS, "default"


@dataclass(frozen=True)
class Expired:
    recording: Recording
    days: int
    rule: str
    held: bool


def expired(now: datetime | None = None) -> list[Expired]:
    """Stored recordings past their retention, held ones included (and marked so)."""
    now = now or timezone.now()
    found = []
    recordings = Recording.objects.filter(status=Status.AVAILABLE).select_related(
        "session__clinic__jurisdiction"
    )
    for recording in recordings.order_by("started_at", "id"):
        days, rule = retention_days(recording.session.clinic)
        if recording.started_at + timedelta(days=days) <= now:
            found.append(Expired(recording, days, rule, recording.legal_hold))
    return found


def purge_expired(
    *, dry_run: bool, now: datetime | None = None, by: User | None = None
) -> list[Expired]:
    """Destroy what is past retention and not held; the list says what was (or would be) done."""
    due = expired(now)
    if dry_run:
        return due
    for item in due:
        if not item.held:
            destroy(item, by=by)
    _discard_stale_uploads(now or timezone.now(), by)
    return due


def destroy(item: Expired, *, by: User | None) -> DestructionRecord:
    recording = item.recording
    storage.delete(recording.storage_name)
    with transaction.atomic():
        record = DestructionRecord.objects.create(
            recording_uid=recording.uid,
            recording_pk=recording.pk,
            session_pk=recording.session_id,
            patient_pk=recording.patient_id,
            clinic_name=recording.session.clinic.name,
            started_at=recording.started_at,
            stored_size=recording.stored_size,
            retention_days=item.days,
            rule=item.rule,
            destroyed_by=by,
        )
        recording.status = Status.DESTROYED
        recording.wrapped_key = b""
        recording.save(update_fields=["status", "wrapped_key"])
        record_event(
            actor=by,
            action=Action.EXECUTE,
            patient=recording.patient,
            target=recording,
            reason=_("Retention of %(days)s days ended (%(rule)s).")
            % {"days": item.days, "rule": item.rule},
            detail={"recording": str(recording.uid), "destroyed": record.pk},
        )
    return record


def _discard_stale_uploads(now: datetime, by: User | None) -> None:
    cutoff = now - timedelta(hours=settings.RECORDINGS_STALE_UPLOAD_HOURS)
    for recording in Recording.objects.filter(status=Status.UPLOADING, started_at__lt=cutoff):
        path = staging_path(recording)
        if not path.exists() or path.stat().st_mtime < cutoff.timestamp():
            discard_upload(
                by=recording.uploaded_by if by is None else by, recording_id=recording.pk
            )


@transaction.atomic
def set_legal_hold(*, by: User, recording: Recording, hold: bool, reason: str) -> Recording:
    require_role(by, PRIVACY_ROLES, _("Only the privacy officer places or lifts a legal hold."))
    if not reason.strip():
        raise RecordingError(_("Give the reason for the legal hold."))
    recording.legal_hold = hold
    recording.legal_hold_reason = reason.strip()
    recording.save(update_fields=["legal_hold", "legal_hold_reason"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=recording.patient,
        target=recording,
        reason=reason.strip(),
        detail={"legal_hold": hold},
    )
    return recording


def rotate_keys() -> int:
    """Re-wrap every live data key under the current master key; the video is not touched."""
    wrapper = key_wrapper()
    current = wrapper.current_key_id()
    count = 0
    live = Recording.objects.filter(status__in=[Status.UPLOADING, Status.AVAILABLE])
    for recording in live.exclude(key_id=current).iterator():
        uid = str(recording.uid)
        key = wrapper.unwrap(recording.key_id, bytes(recording.wrapped_key), uid)
        recording.key_id, recording.wrapped_key = wrapper.wrap(key, uid)
        recording.save(update_fields=["key_id", "wrapped_key"])
        count += 1
    return count
