"""The configured key wrapper: a KMS when one is named, else the master keys from settings."""

import os
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from kapclinic.recordings.crypto import KeyWrapper, MasterKeys, new_master_key_spec


def key_wrapper() -> KeyWrapper:
    if settings.RECORDINGS_KMS:
        return import_string(settings.RECORDINGS_KMS)()
    return _master_keys(settings.RECORDINGS_KEY or _demo_key())


@cache
def _master_keys(spec: str) -> MasterKeys:
    return MasterKeys(spec)


def _demo_key() -> str:
    """A key file in the var directory, made once (demo only; production sets the key)."""
    path = settings.VAR_DIR / "recordings-master.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_master_key_spec("demo"))
    return path.read_text().strip()
