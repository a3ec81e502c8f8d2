"""Capture behind the consent gate, resumable uploads, playback behind role and reason,
integrity on every read, and an audit row for every access."""

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from kapclinic.audit.models import Action, AuditEvent, Outcome
from kapclinic.care.services import withdraw_consent
from kapclinic.errors import NotPermitted
from kapclinic.recordings import capture, crypto, playback
from kapclinic.recordings.errors import NoConsent, RecordingError, TamperedRecording
from kapclinic.recordings.models import Recording, Status
from tests.recordings.conftest import SEGMENT, store, video


def play(by: Any, recording: Recording, byte_range: str = "") -> bytes:
    grant = playback.open_recording(by=by, recording=recording, reason="Review of the session")
    return b"".join(playback.read(by=by, grant=grant, byte_range=byte_range).chunks)


def stored_path(recording: Recording) -> Path:
    return Path(storages["recordings"].path(recording.storage_name))


def test_round_trip_on_disk_stores_only_ciphertext(ready: dict[str, Any], session: Any) -> None:
    data = video(5 * SEGMENT + 17)
    recording = store(ready["nurse"], session, data)
    assert recording.status == Status.AVAILABLE
    assert play(ready["physician"], recording) == data
    raw = stored_path(recording).read_bytes()
    assert data[:64] not in raw
    assert not capture.staging_path(recording).exists()


def test_a_range_read_returns_exactly_those_bytes(ready: dict[str, Any], session: Any) -> None:
    data = video(5 * SEGMENT + 17)
    recording = store(ready["nurse"], session, data)
    assert play(ready["physician"], recording, "bytes=1000-3100") == data[1000:3101]
    assert play(ready["physician"], recording, "bytes=-10") == data[-10:]
    assert play(ready["physician"], recording, f"bytes={4 * SEGMENT}-") == data[4 * SEGMENT :]


@pytest.mark.parametrize("damage", ["byte", "swap", "truncate"])
def test_tampering_is_an_error_naming_the_recording(
    ready: dict[str, Any], session: Any, damage: str
) -> None:
    recording = store(ready["nurse"], session, video(4 * SEGMENT + 5))
    path = stored_path(recording)
    blob = bytearray(path.read_bytes())
    layout = crypto.Layout(SEGMENT, len(blob))
    if damage == "byte":
        blob[layout.offset(2) + 40] ^= 0x01
    elif damage == "swap":
        one, two = layout.offset(1), layout.offset(2)
        blob[one:two], blob[two : layout.offset(3)] = blob[two : layout.offset(3)], blob[one:two]
    else:
        del blob[layout.offset(4) :]
        recording.stored_size = len(blob)  # even with the row agreeing, the cut shows
        recording.save()
    path.write_bytes(bytes(blob))
    with pytest.raises(TamperedRecording, match=str(recording.uid)):
        playback.verify(recording)


def test_consent_gate(ready: dict[str, Any], session: Any) -> None:
    withdraw_consent(by=ready["nurse"], consent=ready["recording_consent"], reason="Changed mind")
    with pytest.raises(NoConsent, match="no valid consent to recording"):
        store(ready["nurse"], session, b"x")
    session.alternative_safeguard = "Second nurse present throughout"
    session.save()
    with pytest.raises(NoConsent, match="alternative safeguard stands instead"):
        store(ready["nurse"], session, b"x")
    assert not Recording.objects.exists()


def test_a_resumed_upload_after_a_killed_chunk(ready: dict[str, Any], session: Any) -> None:
    data = video(6 * SEGMENT + 3)
    nurse = ready["nurse"]
    recording = capture.start_upload(by=nurse, session=session)
    capture.receive_chunk(
        by=nurse,
        recording_id=recording.pk,
        offset=0,
        source=BytesIO(data[: 2 * SEGMENT]),
        final=False,
    )
    # A process killed mid-chunk: garbage after the last whole segment, `received` unchanged.
    with open(capture.staging_path(recording), "ab") as handle:
        handle.write(b"half a segment" * 30)
    assert Recording.objects.filter(status=Status.AVAILABLE).count() == 0
    with pytest.raises(RecordingError, match=f"continues at byte {2 * SEGMENT}"):
        capture.receive_chunk(
            by=nurse, recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
        )
    capture.receive_chunk(
        by=nurse,
        recording_id=recording.pk,
        offset=2 * SEGMENT,
        source=BytesIO(data[2 * SEGMENT :]),
        final=True,
    )
    recording.refresh_from_db()
    assert play(ready["physician"], recording) == data


def test_a_discarded_upload_leaves_nothing(ready: dict[str, Any], session: Any) -> None:
    recording = capture.start_upload(by=ready["nurse"], session=session)
    capture.discard_upload(by=ready["nurse"], recording_id=recording.pk)
    recording.refresh_from_db()
    assert recording.status == Status.DISCARDED
    assert not capture.staging_path(recording).exists()
    with pytest.raises(RecordingError, match="start a new one"):
        capture.receive_chunk(
            by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(b"x"), final=True
        )


def test_a_storage_outage_is_a_clear_error_and_the_upload_can_finish_later(
    ready: dict[str, Any], session: Any, settings: Any, tmp_path: Path
) -> None:
    data = video(3 * SEGMENT)
    recording = capture.start_upload(by=ready["nurse"], session=session)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the storage folder should be")
    location = settings.STORAGES["recordings"]["OPTIONS"]["location"]
    settings.STORAGES["recordings"]["OPTIONS"]["location"] = str(blocked)
    storages._storages = {}
    with pytest.raises(Exception, match="cannot be reached"):
        capture.receive_chunk(
            by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
        )
    recording.refresh_from_db()
    assert recording.status == Status.UPLOADING and recording.received == 0
    settings.STORAGES["recordings"]["OPTIONS"]["location"] = location
    storages._storages = {}
    capture.receive_chunk(
        by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
    )
    recording.refresh_from_db()
    assert play(ready["physician"], recording) == data


@pytest.mark.parametrize("who", ["physician", "therapist", "director", "privacy_officer"])
def test_the_roles_the_policy_allows_may_play(
    ready: dict[str, Any], session: Any, who: str
) -> None:
    recording = store(ready["nurse"], session, b"abc")
    assert play(ready[who], recording) == b"abc"


@pytest.mark.parametrize("who", ["nurse", "therapist_2", "clinic_admin", "intake"])
def test_other_staff_may_not_and_the_attempt_is_audited(
    ready: dict[str, Any], session: Any, who: str
) -> None:
    recording = store(ready["nurse"], session, b"abc")
    with pytest.raises(NotPermitted, match="treating physician"):
        playback.open_recording(by=ready[who], recording=recording, reason="Just curious, really")
    denied = AuditEvent.objects.get(action=Action.DENIED, actor=ready[who])
    assert denied.outcome == Outcome.FAILURE
    assert denied.reason == "Just curious, really"
    assert denied.object_id == str(recording.pk)


def test_a_reason_is_required_and_a_missing_one_is_audited(
    ready: dict[str, Any], session: Any
) -> None:
    recording = store(ready["nurse"], session, b"abc")
    with pytest.raises(RecordingError, match="State why"):
        playback.open_recording(by=ready["physician"], recording=recording, reason="  ok ")
    assert AuditEvent.objects.filter(action=Action.DENIED, detail__refused="reason").count() == 1


def test_every_access_is_audited_with_its_reason(ready: dict[str, Any], session: Any) -> None:
    recording = store(ready["nurse"], session, video(3 * SEGMENT))
    doctor = ready["physician"]
    grant = playback.open_recording(by=doctor, recording=recording, reason="Adverse event review")
    b"".join(playback.read(by=doctor, grant=grant, byte_range="bytes=0-99").chunks)
    b"".join(playback.read(by=doctor, grant=grant, byte_range="bytes=2000-").chunks)
    b"".join(playback.read(by=doctor, grant=grant, download=True).chunks)
    events = AuditEvent.objects.filter(
        actor=doctor, object_type="recordings.recording", object_id=str(recording.pk)
    ).order_by("pk")
    assert [(e.action, e.reason) for e in events] == [
        (Action.READ, "Adverse event review"),
        (Action.READ, "Adverse event review"),
        (Action.READ, "Adverse event review"),
        (Action.EXPORT, "Adverse event review"),
    ]
    assert events[2].detail["bytes"] == f"2000-{3 * SEGMENT - 1}"


def test_an_expired_grant_no_longer_plays(ready: dict[str, Any], session: Any) -> None:
    recording = store(ready["nurse"], session, b"abc")
    grant = playback.open_recording(
        by=ready["physician"], recording=recording, reason="Review of the session"
    )
    grant.expires_at = timezone.now()
    grant.save()
    with pytest.raises(Exception, match="playback has ended"):
        playback.valid_grant(by=ready["physician"], token=str(grant.token))
    with pytest.raises(Exception, match="playback has ended"):
        playback.valid_grant(by=ready["director"], token=str(grant.token))
