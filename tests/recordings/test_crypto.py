"""The segment scheme: round trip, and each kind of tampering is caught."""

from io import BytesIO

import pytest

from kapclinic.recordings import crypto

UID = "3f1d2c7e-0000-4000-8000-000000000001"
KEY = crypto.new_data_key()


def encrypted(data: bytes, segment: int = 100) -> bytes:
    parts = crypto.encrypt_stream(KEY, UID, BytesIO(data), segment)
    return crypto.header(segment) + b"".join(parts)


def decrypted(blob: bytes, uid: str = UID) -> bytes:
    segment = crypto.read_header(blob)
    layout = crypto.Layout(segment, len(blob))
    out = []
    for index in range(layout.segments):
        stored = blob[layout.offset(index) : layout.offset(index) + layout.stored_segment]
        last = index == layout.segments - 1
        out.append(crypto.decrypt_segment(KEY, uid, index, last, stored))
    return b"".join(out)


@pytest.mark.parametrize("size", [1, 99, 100, 101, 250, 1000])
def test_round_trip_and_plain_size(size: int) -> None:
    data = bytes(range(256)) * 4
    blob = encrypted(data[:size])
    assert decrypted(blob) == data[:size]
    assert crypto.Layout(100, len(blob)).plain_size == size


def test_one_changed_byte_is_caught() -> None:
    blob = bytearray(encrypted(b"x" * 250))
    blob[crypto.HEADER.size + 130] ^= 1
    with pytest.raises(crypto.IntegrityError, match="segment 1"):
        decrypted(bytes(blob))


def test_swapped_segments_are_caught() -> None:
    blob = encrypted(bytes(range(250)))
    layout = crypto.Layout(100, len(blob))
    first = blob[layout.offset(0) : layout.offset(1)]
    second = blob[layout.offset(1) : layout.offset(2)]
    swapped = blob[: layout.offset(0)] + second + first + blob[layout.offset(2) :]
    with pytest.raises(crypto.IntegrityError, match="segment 0"):
        decrypted(swapped)


def test_a_tail_cut_at_a_segment_boundary_is_caught() -> None:
    blob = encrypted(bytes(range(250)))
    layout = crypto.Layout(100, len(blob))
    with pytest.raises(crypto.IntegrityError, match="segment 1"):
        decrypted(blob[: layout.offset(2)])


def test_segments_of_another_recording_do_not_authenticate() -> None:
    with pytest.raises(crypto.IntegrityError):
        decrypted(encrypted(b"abc"), uid="3f1d2c7e-0000-4000-8000-000000000002")


def test_rotation_rewraps_without_touching_the_data_key() -> None:
    old = crypto.MasterKeys(crypto.new_master_key_spec("old"))
    key_id, wrapped = old.wrap(KEY, UID)
    both = crypto.MasterKeys(crypto.new_master_key_spec("new") + "," + _spec(old, "old"))
    assert both.unwrap(key_id, wrapped, UID) == KEY
    new_id, rewrapped = both.wrap(KEY, UID)
    assert new_id == "new"
    assert both.unwrap(new_id, rewrapped, UID) == KEY


def _spec(keys: crypto.MasterKeys, key_id: str) -> str:
    import base64

    return f"{key_id}:{base64.b64encode(keys.keys[key_id]).decode()}"


def test_a_malformed_master_key_is_refused() -> None:
    with pytest.raises(crypto.KeyError_, match="32 bytes"):
        crypto.MasterKeys("k1:YWJj")
