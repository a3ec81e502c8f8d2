"""The same recordings on S3-compatible storage: a real SeaweedFS server, ciphertext only,
range reads fetch only the needed segments, and an outage is a clear error that loses nothing."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.storage import storages

from kapclinic.recordings import capture, playback
from kapclinic.recordings.errors import StorageUnavailable, TamperedRecording
from tests.recordings.conftest import SEGMENT, store, video
from tests.recordings.s3server import ACCESS, BUCKET, SECRET, seaweed


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with seaweed(tmp_path_factory.mktemp("seaweed")) as endpoint:
        yield endpoint


def s3_options(endpoint: str) -> dict[str, Any]:
    return {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": ACCESS,
        "secret_key": SECRET,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }


@pytest.fixture
def on_s3(settings: Any, s3_endpoint: str) -> str:
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(s3_endpoint),
        },
    }
    return s3_endpoint


def raw_object(endpoint: str, name: str) -> tuple[bytes, Any]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
    )
    return client.get_object(Bucket=BUCKET, Key=name)["Body"].read(), client


def test_round_trip_on_s3_stores_only_ciphertext(
    ready: dict[str, Any], session: Any, on_s3: str
) -> None:
    data = video(5 * SEGMENT + 33)
    recording = store(ready["nurse"], session, data)
    stored, _client = raw_object(on_s3, recording.storage_name)
    assert data[:64] not in stored
    assert len(stored) == recording.stored_size
    grant = playback.open_recording(
        by=ready["physician"], recording=recording, reason="Review on S3"
    )
    assert b"".join(playback.read(by=ready["physician"], grant=grant).chunks) == data
    part = playback.read(by=ready["physician"], grant=grant, byte_range="bytes=4100-4200")
    assert b"".join(part.chunks) == data[4100:4201]


def test_a_tampered_object_on_s3_is_caught(ready: dict[str, Any], session: Any, on_s3: str) -> None:
    recording = store(ready["nurse"], session, video(3 * SEGMENT))
    stored, client = raw_object(on_s3, recording.storage_name)
    damaged = bytearray(stored)
    damaged[2000] ^= 0x80
    client.put_object(Bucket=BUCKET, Key=recording.storage_name, Body=bytes(damaged))
    with pytest.raises(TamperedRecording, match=str(recording.uid)):
        playback.verify(recording)


def test_an_s3_outage_is_a_clear_error_and_the_upload_finishes_later(
    ready: dict[str, Any], session: Any, on_s3: str, settings: Any
) -> None:
    data = video(2 * SEGMENT + 1)
    recording = capture.start_upload(by=ready["nurse"], session=session)
    down = s3_options("http://127.0.0.1:9")  # nothing listens on the discard port
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": down},
    }
    from io import BytesIO

    with pytest.raises(StorageUnavailable, match="cannot be reached"):
        capture.receive_chunk(
            by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
        )
    assert capture.staging_path(recording).exists()
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(on_s3)},
    }
    capture.receive_chunk(
        by=ready["nurse"], recording_id=recording.pk, offset=0, source=BytesIO(data), final=True
    )
    recording.refresh_from_db()
    playback.verify(recording)
    assert storages["recordings"].exists(recording.storage_name)
