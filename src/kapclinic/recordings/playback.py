"""Playback: a stated reason opens a recording for a while; every read is decrypted, checked
and audited with that reason. A range read decrypts only the segments it covers."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action, Outcome
from kapclinic.audit.services import record_event
from kapclinic.errors import NotFound, NotPermitted
from kapclinic.recordings import crypto, storage
from kapclinic.recordings.access import require_playback
from kapclinic.recordings.capture import data_key
from kapclinic.recordings.errors import RecordingError, TamperedRecording
from kapclinic.recordings.models import PlaybackGrant, Recording, Status

MINIMUM_REASON = 10


def _denied(by: User, recording: Recording, reason: str, why: str) -> None:
    record_event(
        actor=by,
        action=Action.DENIED,
        patient=recording.patient,
        target=recording,
        reason=reason,
        outcome=Outcome.FAILURE,
        detail={"recording": str(recording.uid), "refused": why},
    )


def refused_unseen(*, by: User, recording_id: int) -> None:
    """An attempt on a recording of a patient `by` may not see (or on none): audited as a
    refusal naming the id asked for, with no patient (that would tell what exists)."""
    record_event(
        actor=by,
        action=Action.DENIED,
        outcome=Outcome.FAILURE,
        detail={"recording_id": recording_id, "refused": "not_visible"},
    )


def open_recording(*, by: User, recording: Recording, reason: str) -> PlaybackGrant:
    """A grant to play, after the role and the reason are checked; a refusal is audited too."""
    reason = reason.strip()
    try:
        role = require_playback(by, recording)
    except NotPermitted:
        _denied(by, recording, reason, "role")
        raise
    if len(reason) < MINIMUM_REASON:
        _denied(by, recording, reason, "reason")
        raise RecordingError(
            _("State why you open this recording (at least %(count)s characters).")
            % {"count": MINIMUM_REASON}
        )
    grant = PlaybackGrant.objects.create(
        recording=recording,
        user=by,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=settings.RECORDINGS_PLAYBACK_MINUTES),
    )
    record_event(
        actor=by,
        action=Action.READ,
        patient=recording.patient,
        target=recording,
        reason=reason,
        detail={"recording": str(recording.uid), "opened_as": role, "grant": grant.pk},
    )
    return grant


def valid_grant(*, by: User, token: str) -> PlaybackGrant:
    try:
        token = str(uuid.UUID(str(token)))
    except ValueError:
        token = ""
    grant = (
        PlaybackGrant.objects.filter(token=token, user=by, recording__status=Status.AVAILABLE)
        .select_related("recording__patient")
        .first()
        if token
        else None
    )
    if grant is None or grant.expires_at <= timezone.now():
        raise NotFound(_("This playback has ended; open the recording again with a reason."))
    return grant


@dataclass(frozen=True)
class Slice:
    recording: Recording
    start: int
    end: int  # inclusive
    chunks: Iterator[bytes]

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; None for the whole object."""
    if not header.startswith("bytes=") or "," in header:
        return None
    first, _dash, last = header[6:].partition("-")
    try:
        if first == "":
            start, end = max(0, size - int(last)), size - 1
        else:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
    except ValueError:
        return None
    if start > end or start >= size:
        raise RecordingError(_("That part of the recording does not exist."))
    return start, end


def read(*, by: User, grant: PlaybackGrant, byte_range: str = "", download: bool = False) -> Slice:
    """Decrypt the requested bytes, audited with the grant's reason; the first segment is
    checked before anything is sent, every later one before it is sent."""
    recording = grant.recording
    size = recording.plain_size or 0
    start, end = parse_range(byte_range, size) or (0, size - 1)
    record_event(
        actor=by,
        action=Action.EXPORT if download else Action.READ,
        patient=recording.patient,
        target=recording,
        reason=grant.reason,
        detail={
            "recording": str(recording.uid),
            "bytes": f"{start}-{end}",
            "download": download,
            "grant": grant.pk,
        },
    )
    chunks = decrypt_range(recording, start, end)
    first = next(chunks, b"")
    return Slice(recording, start, end, _prepend(first, chunks))


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def tampered(recording: Recording) -> TamperedRecording:
    return TamperedRecording(
        _(
            "Recording %(uid)s failed its integrity check and is not played. "
            "Tell the privacy officer."
        )
        % {"uid": recording.uid}
    )


def decrypt_range(recording: Recording, start: int, end: int) -> Iterator[bytes]:
    """Plaintext bytes start..end (inclusive), segment by segment, each one authenticated."""
    if storage.size(recording.storage_name) != recording.stored_size:
        raise tampered(recording)
    layout = crypto.Layout(recording.segment_size, recording.stored_size or 0)
    key = data_key(recording)
    uid = str(recording.uid)
    first, last = layout.span(start, end)
    for index in range(first, last + 1):
        stored = storage.read_range(
            recording.storage_name, layout.offset(index), layout.stored_segment
        )
        try:
            plain = crypto.decrypt_segment(key, uid, index, index == layout.segments - 1, stored)
        except crypto.IntegrityError:
            raise tampered(recording) from None
        base = index * recording.segment_size
        yield plain[max(start - base, 0) : end - base + 1]


def verify(recording: Recording) -> None:
    """Read and authenticate every segment (the `verify` command, the tests)."""
    size = recording.plain_size or 0
    for _chunk in decrypt_range(recording, 0, size - 1):
        pass
