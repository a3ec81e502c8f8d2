"""Retention by configuration, legal hold, the destruction log, key rotation, the commands."""

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from kapclinic.errors import NotPermitted
from kapclinic.recordings import crypto, playback, retention
from kapclinic.recordings.keys import _master_keys
from kapclinic.recordings.models import DestructionRecord, Recording, Status
from tests.recordings.conftest import store, video


def aged(recording: Recording, days: int) -> Recording:
    recording.started_at = timezone.now() - timedelta(days=days)
    recording.save()
    return recording


def test_retention_comes_from_the_clinic_then_the_province(
    ready: dict[str, Any], settings: Any
) -> None:
    montreal = ready["montreal"]
    assert retention.retention_days(montreal) == (3650, "province QC")
    settings.RECORDINGS_CLINIC_RETENTION_DAYS = {"Montréal": 30}
    assert retention.retention_days(montreal) == (30, "clinic Montréal")
    settings.RECORDINGS_CLINIC_RETENTION_DAYS = {}
    settings.RECORDINGS_RETENTION_DAYS = {}
    assert retention.retention_days(montreal) == (3650, "default")


def test_purge_respects_legal_hold_and_logs_what_it_destroyed(
    ready: dict[str, Any], session: Any, settings: Any
) -> None:
    settings.RECORDINGS_CLINIC_RETENTION_DAYS = {"Montréal": 30}
    old = aged(store(ready["nurse"], session, b"old"), 31)
    held = aged(store(ready["nurse"], session, b"held"), 31)
    young = aged(store(ready["nurse"], session, b"young"), 29)
    retention.set_legal_hold(
        by=ready["privacy_officer"], recording=held, hold=True, reason="Complaint 2026-14"
    )
    out = StringIO()
    call_command("recordings", "purge-expired", "--dry-run", stdout=out)
    assert "1 recording past retention would be destroyed; 1 kept under legal hold." in (
        out.getvalue()
    )
    assert "kept: legal hold" in out.getvalue()
    assert Recording.objects.filter(status=Status.AVAILABLE).count() == 3

    call_command("recordings", "purge-expired", stdout=StringIO())
    statuses = dict(Recording.objects.values_list("pk", "status"))
    assert statuses == {
        old.pk: Status.DESTROYED,
        held.pk: Status.AVAILABLE,
        young.pk: Status.AVAILABLE,
    }
    assert not storages["recordings"].exists(old.storage_name)
    log = DestructionRecord.objects.get()
    assert (log.recording_uid, log.retention_days, log.rule) == (old.uid, 30, "clinic Montréal")
    old.refresh_from_db()
    assert bytes(old.wrapped_key) == b""


def test_only_the_privacy_officer_places_a_hold(ready: dict[str, Any], session: Any) -> None:
    recording = store(ready["nurse"], session, b"x")
    with pytest.raises(NotPermitted):
        retention.set_legal_hold(
            by=ready["physician"], recording=recording, hold=True, reason="Because"
        )


def test_rotation_keeps_old_recordings_readable_without_touching_the_video(
    ready: dict[str, Any], session: Any, settings: Any
) -> None:
    data = video(3000)
    recording = store(ready["nurse"], session, data)
    path = Path(storages["recordings"].path(recording.storage_name))
    before = path.read_bytes()
    settings.RECORDINGS_KEY = crypto.new_master_key_spec("k2") + "," + settings.RECORDINGS_KEY
    _master_keys.cache_clear()
    out = StringIO()
    call_command("recordings", "rotate-keys", stdout=out)
    assert "Re-wrapped 1 data keys" in out.getvalue()
    recording.refresh_from_db()
    assert recording.key_id == "k2"
    assert path.read_bytes() == before
    settings.RECORDINGS_KEY = settings.RECORDINGS_KEY.split(",")[0]  # the old key retired
    _master_keys.cache_clear()
    grant = playback.open_recording(
        by=ready["physician"], recording=recording, reason="Check after rotation"
    )
    assert b"".join(playback.read(by=ready["physician"], grant=grant).chunks) == data


def test_the_upload_command_streams_a_file(
    ready: dict[str, Any], session: Any, tmp_path: Path
) -> None:
    source = tmp_path / "room.mp4"
    source.write_bytes(video(5000))
    out = StringIO()
    call_command(
        "recordings",
        "upload",
        str(source),
        "--session",
        str(session.pk),
        "--by",
        ready["nurse"].email,
        stdout=out,
    )
    assert "(5000 bytes)" in out.getvalue()
    checked = StringIO()
    call_command("recordings", "verify", stdout=checked)
    assert "1 recording checked: every one passed." in checked.getvalue()
