"""Segmented streaming AEAD for recordings (AES-256-GCM per segment), and key wrapping.

The stored object is a header, then fixed-size segments: nonce (12) || ciphertext || tag (16).
Each segment's associated data binds the recording id, the segment index and whether it is
the last one, so a changed byte, two swapped segments or a cut tail all fail authentication.
Segment i starts at a computable offset, so a seek decrypts only the segments it needs.
A per-recording data key encrypts the video; a master key (or a KMS) only wraps that key, so a
key rotation re-wraps a few dozen bytes per recording and never touches the video.
No Django here: the services pass streams and keys in.
"""

import base64
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"KCREC1"
HEADER = struct.Struct(">6sI")  # magic, plaintext segment size
NONCE = 12
TAG = 16
DEFAULT_SEGMENT = 1024 * 1024


class IntegrityError(Exception):
    """The stored bytes are not what was written: never play them."""


class KeyError_(Exception):
    """A key is missing or malformed."""


def _aad(recording_id: str, index: int, last: bool) -> bytes:
    return recording_id.encode() + struct.pack(">QB", index, int(last))


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def header(segment_size: int) -> bytes:
    return HEADER.pack(MAGIC, segment_size)


def read_header(data: bytes) -> int:
    magic, segment_size = HEADER.unpack(data[: HEADER.size])
    if magic != MAGIC or segment_size <= 0:
        raise IntegrityError("not a kapclinic recording")
    return segment_size


def encrypt_stream(
    key: bytes,
    recording_id: str,
    source: BinaryIO,
    segment_size: int,
    *,
    first_index: int = 0,
    final: bool = True,
) -> Iterator[bytes]:
    """Encrypted segments of `source`, read one segment ahead to know which one is last.

    With `final=False` every segment must be full (a chunk in the middle of an upload).
    """
    aead = AESGCM(key)
    index = first_index
    current = _read_full(source, segment_size)
    while current:
        following = _read_full(source, segment_size)
        last = final and not following
        if not last and len(current) != segment_size:
            raise ValueError("a chunk in the middle of an upload must be whole segments")
        nonce = os.urandom(NONCE)
        yield nonce + aead.encrypt(nonce, current, _aad(recording_id, index, last))
        index += 1
        current = following


def _read_full(source: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    wanted = size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


@dataclass(frozen=True)
class Layout:
    """Where a recording's segments lie in the stored object, from its stored size."""

    segment_size: int
    stored_size: int

    @property
    def stored_segment(self) -> int:
        return NONCE + self.segment_size + TAG

    @property
    def segments(self) -> int:
        body = self.stored_size - HEADER.size
        return max(0, -(-body // self.stored_segment))

    @property
    def plain_size(self) -> int:
        body = self.stored_size - HEADER.size
        tail = body - (self.segments - 1) * self.stored_segment
        if self.segments == 0 or tail <= NONCE + TAG:
            raise IntegrityError("the stored object is cut short")
        return (self.segments - 1) * self.segment_size + tail - NONCE - TAG

    def offset(self, index: int) -> int:
        return HEADER.size + index * self.stored_segment

    def span(self, start: int, end: int) -> tuple[int, int]:
        """First and last segment holding plaintext bytes start..end (inclusive)."""
        return start // self.segment_size, end // self.segment_size


def decrypt_segment(key: bytes, recording_id: str, index: int, last: bool, stored: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(stored[:NONCE], stored[NONCE:], _aad(recording_id, index, last))
    except InvalidTag as error:
        raise IntegrityError(f"segment {index} failed authentication") from error


class KeyWrapper(Protocol):
    """Wraps data keys: the configured master keys, or a key-management service."""

    def current_key_id(self) -> str: ...

    def wrap(self, data_key: bytes, recording_id: str) -> tuple[str, bytes]: ...

    def unwrap(self, key_id: str, wrapped: bytes, recording_id: str) -> bytes: ...


class MasterKeys:
    """Master keys from configuration: `id:base64key,...`, the first one wraps new keys."""

    def __init__(self, spec: str) -> None:
        self.keys: dict[str, bytes] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key_id, _, encoded = item.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except ValueError as error:
                raise KeyError_(f"master key {key_id!r} is not base64") from error
            if len(key) != 32 or not key_id:
                raise KeyError_(f"master key {key_id!r} must be 32 bytes with an id")
            self.keys[key_id] = key
        if not self.keys:
            raise KeyError_("no master key is configured")
        self._current = next(iter(self.keys))

    def current_key_id(self) -> str:
        return self._current

    def wrap(self, data_key: bytes, recording_id: str) -> tuple[str, bytes]:
        nonce = os.urandom(NONCE)
        aad = b"kapclinic-dek:" + recording_id.encode()
        wrapped = AESGCM(self.keys[self._current]).encrypt(nonce, data_key, aad)
        return self._current, nonce + wrapped

    def unwrap(self, key_id: str, wrapped: bytes, recording_id: str) -> bytes:
        if key_id not in self.keys:
            raise KeyError_(f"master key {key_id!r} is not configured")
        aad = b"kapclinic-dek:" + recording_id.encode()
        try:
            return AESGCM(self.keys[key_id]).decrypt(wrapped[:NONCE], wrapped[NONCE:], aad)
        except InvalidTag as error:
            raise IntegrityError("the wrapped data key failed authentication") from error


def new_master_key_spec(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"
