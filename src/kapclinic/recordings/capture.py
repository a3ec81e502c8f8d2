"""Capture: a recording exists only with the patient's recording consent; uploads are resumable.

The browser (or `kapclinic recordings upload`) sends whole segments at a given plaintext offset;
each chunk is encrypted as it streams in and appended to a staging file of ciphertext. The row's
`received` moves only after the staging file is flushed, so a process killed mid-chunk leaves
bytes past `received` that the next chunk at that offset truncates away. The recording becomes
visible only when the last chunk has been stored in the recordings storage.
"""

import os
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.models import ConsentKind
from kapclinic.care.selectors import valid_consent_kinds
from kapclinic.dosing.access import require_role
from kapclinic.recordings import crypto, storage
from kapclinic.recordings.access import CAPTURE_ROLES
from kapclinic.recordings.errors import NoConsent, RecordingError
from kapclinic.recordings.keys import key_wrapper
from kapclinic.recordings.models import Recording, Status


def require_consent(session: Any) -> None:
    """The patient's recording consent is given and not withdrawn; else say what stands instead."""
    if ConsentKind.RECORDING in valid_consent_kinds(session.patient):
        return
    if session.alternative_safeguard.strip():
        raise NoConsent(
            _(
                "This session is not recorded: the patient has no valid recording consent and "
                "the documented alternative safeguard stands instead."
            )
        )
    raise NoConsent(
        _(
            "The patient has no valid consent to recording. Record the consent first, or "
            "document the alternative safeguard on the session instead."
        )
    )


def staging_path(recording: Recording) -> Path:
    return Path(settings.RECORDINGS_STAGING_DIR) / f"{recording.uid}.part"


@transaction.atomic
def start_upload(
    *,
    by: User,
    session: Any,
    original_name: str = "",
    content_type: str = "video/mp4",
    third_parties_present: bool = False,
) -> Recording:
    require_role(by, CAPTURE_ROLES, _("Only the staff in the room record a session."))
    require_consent(session)
    recording = Recording(
        session=session,
        patient=session.patient,
        original_name=original_name[:200],
        content_type=content_type or "video/mp4",
        segment_size=settings.RECORDINGS_SEGMENT_BYTES,
        third_parties_present=third_parties_present,
        uploaded_by=by,
    )
    key_id, wrapped = key_wrapper().wrap(crypto.new_data_key(), str(recording.uid))
    recording.key_id, recording.wrapped_key = key_id, wrapped
    recording.save()
    path = staging_path(recording)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(crypto.header(recording.segment_size))
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=session.patient,
        target=recording,
        detail={"session": session.pk, "upload": "started"},
    )
    return recording


def data_key(recording: Recording) -> bytes:
    return key_wrapper().unwrap(recording.key_id, bytes(recording.wrapped_key), str(recording.uid))


def receive_chunk(
    *, by: User, recording_id: int, offset: int, source: BinaryIO, final: bool
) -> Recording:
    """Encrypt one chunk at plaintext `offset`; the last one stores the recording."""
    require_role(by, CAPTURE_ROLES, _("Only the staff in the room record a session."))
    with transaction.atomic():
        recording = _uploading(recording_id)
        if offset != recording.received:
            raise RecordingError(
                _("The upload continues at byte %(expected)s, not %(offset)s.")
                % {"expected": recording.received, "offset": offset},
                expected=recording.received,
            )
        received = _append(recording, source, final)
        recording.received = received
        if final:
            _store(recording)
            record_event(
                actor=by,
                action=Action.CREATE,
                patient=recording.patient,
                target=recording,
                detail={"session": recording.session_id, "upload": "stored", "bytes": received},
            )
        recording.save()
    if final:
        staging_path(recording).unlink(missing_ok=True)
    return recording


def _uploading(recording_id: int) -> Recording:
    recording = (
        Recording.objects.select_for_update().select_related("patient").filter(pk=recording_id)
    ).first()
    if recording is None or recording.status != Status.UPLOADING:
        raise RecordingError(_("This upload is finished or was discarded; start a new one."))
    return recording


def _append(recording: Recording, source: BinaryIO, final: bool) -> int:
    """Append the chunk's encrypted segments after the last whole one; the new plaintext size."""
    layout = crypto.Layout(recording.segment_size, 0)
    first = recording.received // recording.segment_size
    key = data_key(recording)
    added = 0
    with open(staging_path(recording), "r+b") as handle:
        handle.truncate(layout.offset(first))
        handle.seek(layout.offset(first))
        segments = crypto.encrypt_stream(
            key, str(recording.uid), source, recording.segment_size, first_index=first, final=final
        )
        try:
            for stored in segments:
                handle.write(stored)
                added += len(stored) - crypto.NONCE - crypto.TAG
        except ValueError:
            raise RecordingError(
                _("A chunk before the last must hold whole segments of %(size)s bytes.")
                % {"size": recording.segment_size}
            ) from None
        handle.flush()
        os.fsync(handle.fileno())
    if final and recording.received + added == 0:
        raise RecordingError(_("The recording is empty."))
    return recording.received + added


def _store(recording: Recording) -> None:
    """Move the staged ciphertext into the recordings storage; on failure nothing changes."""
    path = staging_path(recording)
    session = recording.session
    name = f"{session.clinic_id}/{session.pk}/{recording.uid}.kcrec"
    recording.storage_name = storage.save_staged(name, path)
    recording.stored_size = path.stat().st_size
    recording.plain_size = recording.received
    recording.status = Status.AVAILABLE
    recording.completed_at = timezone.now()


@transaction.atomic
def discard_upload(*, by: User, recording_id: int) -> Recording:
    require_role(by, CAPTURE_ROLES, _("Only the staff in the room record a session."))
    recording = _uploading(recording_id)
    recording.status = Status.DISCARDED
    recording.wrapped_key = b""
    recording.save(update_fields=["status", "wrapped_key"])
    staging_path(recording).unlink(missing_ok=True)
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=recording.patient,
        target=recording,
        detail={"upload": "discarded"},
    )
    return recording


def upload_file(*, by: User, session: Any, path: Path, **options: Any) -> Recording:
    """`kapclinic recordings upload`: the whole file as one streamed chunk."""
    recording = start_upload(by=by, session=session, original_name=path.name, **options)
    try:
        with open(path, "rb") as source:
            return receive_chunk(
                by=by, recording_id=recording.pk, offset=0, source=source, final=True
            )
    except BaseException:
        discard_upload(by=by, recording_id=recording.pk)
        raise
