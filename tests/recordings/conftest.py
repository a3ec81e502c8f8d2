"""A checked-in ketamine session of patient A (recording consent given) and recordings settings:
a fresh master key, storage and staging in a temporary folder, small segments."""

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from kapclinic.recordings import capture, crypto
from kapclinic.recordings.keys import _master_keys
from tests.dosing.conftest import checked_in, ready  # noqa: F401  (fixture)

SEGMENT = 1024


@pytest.fixture(autouse=True)
def recordings_settings(settings: Any, tmp_path: Path) -> Any:
    settings.RECORDINGS_KEY = crypto.new_master_key_spec("k1")
    settings.RECORDINGS_SEGMENT_BYTES = SEGMENT
    settings.RECORDINGS_STAGING_DIR = tmp_path / "staging"
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "stored")},
        },
    }
    _master_keys.cache_clear()
    return settings


@pytest.fixture
def session(ready: dict[str, Any]) -> Any:  # noqa: F811
    return checked_in(ready)


def video(size: int) -> bytes:
    """Bytes that differ segment by segment, so a swap would show."""
    return bytes((i * 7 + i // SEGMENT) % 251 for i in range(size))


def store(by: Any, session: Any, data: bytes, **options: Any) -> Any:
    recording = capture.start_upload(by=by, session=session, original_name="s.mp4", **options)
    return capture.receive_chunk(
        by=by, recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
    )


def flip_byte(recording: Any, at: int) -> None:
    """Tamper with one stored byte of a recording on disk (the bit-flip an attacker would make)."""
    from django.core.files.storage import storages

    with open(storages["recordings"].path(recording.storage_name), "r+b") as handle:
        handle.seek(at)
        byte = handle.read(1)
        handle.seek(at)
        handle.write(bytes([byte[0] ^ 1]))
