"""What a referral's files really are, read from their first bytes, never from their names.

A referrer's attachments are PDF or images as a fax machine or a scanner makes them. The same
signatures decide what an upload may be and how a stored file is served: one of these is shown
in the browser as what it is; anything else (an older file, a renamed .exe) is only ever
downloaded, as bytes, never rendered."""

from typing import IO

# File signatures ("magic numbers"): ISO 32000 (PDF), PNG spec 5.2, JPEG SOI + marker,
# TIFF 6.0 section 2 (little- and big-endian byte order marks).
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}
# What is served for anything else: bytes, downloaded, never shown inline.
UNKNOWN = "application/octet-stream"
HEAD_BYTES = 8


def sniff_bytes(head: bytes) -> str | None:
    """The content type the first bytes announce, or None when they are none we accept."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def sniff_file(handle: IO[bytes]) -> str | None:
    """The content type of an open file, read from its head; the position is put back."""
    start = handle.tell()
    head = handle.read(HEAD_BYTES)
    handle.seek(start)
    return sniff_bytes(head)
