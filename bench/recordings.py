"""Benchmark recording capture: upload+encrypt throughput of a 2 GiB file against raw AES-GCM
(`cryptography`) on the same machine in the same run, peak memory, and a seek to the end.

The upload path is the one `capture` runs: the file is read as a stream, encrypted segment by
segment (crypto.encrypt_stream), appended to a staging file, fsynced and linked into the
recordings storage on disk (storage.save_staged; S3 would copy it up instead). The raw
baseline encrypts the same segments with AESGCM and throws the ciphertext away; the
"segment scheme only" figure does the same through crypto.encrypt_stream (no disk write).
Writes bench/results/recordings.json. Not a test.
Run: .venv/bin/python bench/recordings.py  (BENCH_RECORDING_MIB=2048 by default)
"""

import json
import os
import resource
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kapclinic.recordings import crypto

MIB = 1024 * 1024
SIZE = int(os.environ.get("BENCH_RECORDING_MIB", "2048")) * MIB
SEGMENT = MIB
RESULTS = Path(__file__).resolve().parent / "results"
UID = "00000000-0000-4000-8000-000000000000"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_source(path: Path) -> None:
    block = os.urandom(8 * MIB)
    with open(path, "wb") as handle:
        for _ in range(SIZE // len(block)):
            handle.write(block)


def raw_aes_gcm(path: Path, key: bytes) -> float:
    aead = AESGCM(key)
    start = time.perf_counter()
    with open(path, "rb") as handle:
        index = 0
        while chunk := handle.read(SEGMENT):
            aead.encrypt(index.to_bytes(12, "big"), chunk, None)
            index += 1
    return time.perf_counter() - start


def scheme_only(path: Path, key: bytes) -> float:
    start = time.perf_counter()
    with open(path, "rb") as source:
        for _segment in crypto.encrypt_stream(key, UID, source, SEGMENT):
            pass
    return time.perf_counter() - start


def upload_and_encrypt(path: Path, staging: Path, stored: Path, key: bytes) -> float:
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=str(stored))
    start = time.perf_counter()
    with open(path, "rb") as source, open(staging, "wb") as out:
        out.write(crypto.header(SEGMENT))
        for segment in crypto.encrypt_stream(key, UID, source, SEGMENT):
            out.write(segment)
        out.flush()
        os.fsync(out.fileno())
    from kapclinic.recordings.storage import _move_in

    _move_in(storage, "recording.kcrec", staging)
    return time.perf_counter() - start


def seek_to_last_minute(stored: Path, key: bytes) -> float:
    """Decrypt the last 1/240 of the file (a minute of a four-hour session)."""
    blob = stored / "recording.kcrec"
    layout = crypto.Layout(SEGMENT, blob.stat().st_size)
    start_byte = layout.plain_size - layout.plain_size // 240
    first, last = layout.span(start_byte, layout.plain_size - 1)
    start = time.perf_counter()
    with open(blob, "rb") as handle:
        for index in range(first, last + 1):
            handle.seek(layout.offset(index))
            stored_segment = handle.read(layout.stored_segment)
            crypto.decrypt_segment(key, UID, index, index == layout.segments - 1, stored_segment)
    return time.perf_counter() - start


def main() -> None:
    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    key = crypto.new_data_key()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as scratch:
        root = Path(scratch)
        make_source(root / "source.mp4")
        baseline_rss = peak_rss_mib()
        raw = raw_aes_gcm(root / "source.mp4", key)
        scheme = scheme_only(root / "source.mp4", key)
        ours = upload_and_encrypt(root / "source.mp4", root / "staging", root / "stored", key)
        seek = seek_to_last_minute(root / "stored", key)
        peak = peak_rss_mib()
    mib = SIZE / MIB
    figures = {
        "file_mib": mib,
        "segment_bytes": SEGMENT,
        "raw_aes_gcm_mib_s": round(mib / raw, 1),
        "segment_scheme_only_mib_s": round(mib / scheme, 1),
        "upload_encrypt_store_mib_s": round(mib / ours, 1),
        "ratio_upload_vs_raw": round(raw / ours, 3),
        "seek_last_minute_seconds": round(seek, 4),
        "peak_rss_mib": round(peak, 1),
        "peak_rss_before_encrypting_mib": round(baseline_rss, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "recordings.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
