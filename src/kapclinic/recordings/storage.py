"""Where ciphertext lives: the `recordings` storage (disk or S3), read by byte range."""

import errno
import os
from pathlib import Path
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.translation import gettext as _

from kapclinic.recordings.errors import StorageUnavailable


def recording_storage() -> Storage:
    return storages["recordings"]


def _unavailable(error: Exception) -> StorageUnavailable:
    return StorageUnavailable(
        _("The recordings storage cannot be reached (%(error)s). Nothing was lost; try again.")
        % {"error": type(error).__name__}
    )


def save_staged(name: str, path: Path) -> str:
    """Store the staged ciphertext file; on local disk it is moved in, not copied."""
    storage = recording_storage()
    if isinstance(storage, FileSystemStorage):
        try:
            return _move_in(storage, name, path)
        except OSError as error:
            if error.errno != errno.EXDEV:  # another file system: copy below
                raise _unavailable(error) from error
    with open(path, "rb") as handle:
        return save(name, handle)


def _move_in(storage: FileSystemStorage, name: str, path: Path) -> str:
    final = storage.get_available_name(name)
    target = Path(storage.path(final))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(path, target)  # fails rather than overwrite; the staging copy goes after commit
    if storage.file_permissions_mode is not None:
        target.chmod(storage.file_permissions_mode)
    return final


def save(name: str, source: BinaryIO) -> str:
    try:
        return recording_storage().save(name, File(source, name=name))
    except OSError as error:
        raise _unavailable(error) from error
    except Exception as error:
        if _is_s3_error(error):
            raise _unavailable(error) from error
        raise


def size(name: str) -> int:
    try:
        return recording_storage().size(name)
    except Exception as error:
        if isinstance(error, OSError) or _is_s3_error(error):
            raise _unavailable(error) from error
        raise


def read_range(name: str, start: int, length: int) -> bytes:
    """Exactly the bytes start..start+length of the stored object (fewer at its end)."""
    storage = recording_storage()
    try:
        bucket = getattr(storage, "bucket_name", None)
        if bucket:
            client = storage.connection.meta.client  # type: ignore[attr-defined]
            key = storage._normalize_name(name)  # type: ignore[attr-defined]
            end = start + length - 1
            response = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={start}-{end}")
            return response["Body"].read()
        with storage.open(name, "rb") as handle:
            handle.seek(start)
            return handle.read(length)
    except Exception as error:
        if isinstance(error, OSError) or _is_s3_error(error):
            raise _unavailable(error) from error
        raise


def delete(name: str) -> None:
    try:
        recording_storage().delete(name)
    except Exception as error:
        if isinstance(error, OSError) or _is_s3_error(error):
            raise _unavailable(error) from error
        raise


def _is_s3_error(error: Exception) -> bool:
    module = type(error).__module__
    return module.startswith(("botocore", "boto3", "urllib3"))
