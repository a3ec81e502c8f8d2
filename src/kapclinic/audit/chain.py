"""The keyed hash chain: seal unsealed events in order, anchor the head, verify the whole chain.

Each event carries an HMAC of its content made when the application writes it, and each link is
an HMAC of the previous link and the event, both with KAPCLINIC_AUDIT_KEY (outside the database).
The head (count, last seal, last hash) is written to KAPCLINIC_AUDIT_ANCHOR at each seal. So
whoever can write the database but lacks the key and the anchor cannot insert a forged event
(its mac is wrong), re-seal a rewritten chain (the links are keyed), or cut the tail (the chain
ends before its anchored head).
"""

import hashlib
import hmac
import json
import multiprocessing
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import chain, pairwise
from json.encoder import encode_basestring_ascii as _text
from pathlib import Path
from typing import Any

try:
    from _hashlib import hmac_new as _hmac_new
except ImportError:  # Python built without OpenSSL
    _hmac_new = None  # type: ignore[assignment]

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min

from kapclinic.audit.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
# Any 64-bit constant: the advisory lock that lets one sealer run at a time on PostgreSQL.
SEAL_LOCK_KEY = 7_021_955_001
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "role",
    "patient_id",
    "object_type",
    "object_id",
    "action",
    "outcome",
    "reason",
    "client_address",
    "request_id",
    "detail",
)
# The event's content as the application signs it: everything but the id (unknown before the
# insert; the chain's links cover the order).
MAC_FIELDS = tuple(name for name in HASHED_FIELDS if name != "id")


def audit_key() -> bytes:
    return (settings.AUDIT_KEY or _demo_key()).encode()


@cache
def _demo_key_at(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # Another process made it first.
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(os.urandom(32).hex())
    return path.read_text().strip()


def _demo_key() -> str:
    """A key file in the var directory, made once (demo only; a deploy check warns)."""
    return _demo_key_at(settings.VAR_DIR / "audit.key")


def canonical(event: AuditEvent, fields: tuple[str, ...] = HASHED_FIELDS) -> bytes:
    """The event as stable JSON: sorted keys, UTC ISO times, no whitespace."""
    values = {name: getattr(event, name) for name in fields}
    values["occurred_at"] = event.occurred_at.isoformat()
    if "client_address" in values:  # As stored (an IPv6 address is normalised on the way in).
        field = AuditEvent._meta.get_field("client_address")
        values["client_address"] = field.get_prep_value(event.client_address)
    # Through JSON once, so the values signed before the insert read the same after it.
    values["detail"] = json.loads(json.dumps(event.detail, default=str))
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_mac(event: AuditEvent) -> str:
    """The application's signature of an event it writes (set before the insert)."""
    return hmac.new(audit_key(), b"event:" + canonical(event, MAC_FIELDS), "sha256").hexdigest()


def legacy_link_hash(prev_hash: str, event: AuditEvent) -> str:
    """A link of a chain sealed before the key existed: SHA-256 without a key (or a mac)."""
    return hashlib.sha256(prev_hash.encode() + canonical(event)).hexdigest()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    message = prev_hash.encode() + canonical(event) + event.mac.encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def read_anchor() -> dict[str, Any] | None:
    try:
        return json.loads(Path(settings.AUDIT_ANCHOR).read_text())
    except FileNotFoundError:
        return None


def _write_anchor(anchor: dict[str, Any]) -> None:
    """Atomically: a reader sees the old head or the new one, never half a file."""
    path = Path(settings.AUDIT_ANCHOR)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-anchor-")
    try:
        with os.fdopen(descriptor, "w") as handle:
            json.dump(anchor, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _take_seal_lock(wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers itself.
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def seal_pending(*, batch: int = 5000, wait: bool = True, window: int | None = None) -> int:
    """Seal committed, unsealed events in id order; returns how many were sealed.

    With wait=False it gives up at once when another process is sealing (that one, or
    the next, will seal these events too), so a request never queues behind the chain.
    With a window, only events at most `window` ids before the last sealed one are
    looked at (a late commit is rarely further behind), so the after-commit step stays
    cheap however long the trail; `kapclinic audit seal` looks at everything.
    """
    with transaction.atomic():
        if not _take_seal_lock(wait):
            return 0
        last = AuditSeal.objects.order_by("-id").only("id", "hash", "event_id").first()
        prev = last.hash if last else GENESIS
        unsealed = AuditEvent.objects.filter(seal__isnull=True)
        if window is not None and last is not None:
            unsealed = unsealed.filter(id__gt=last.event_id - window)
        pending = list(unsealed.order_by("id")[:batch])
        seals = []
        for event in pending:
            current = link_hash(prev, event)
            seals.append(AuditSeal(event=event, prev_hash=prev, hash=current))
            prev = current
        if not seals:
            return 0
        AuditSeal.objects.bulk_create(seals)
        # Written under the seal lock, so heads never go backwards; if this commit then failed,
        # verify would report the anchor ahead of the chain (a false alarm, never a miss).
        anchor = read_anchor()
        if last is None:
            count = len(seals)
        elif anchor and anchor.get("seal_id") == last.id:
            count = anchor["count"] + len(seals)
        else:
            count = AuditSeal.objects.count()
        # bulk_create gives back the ids (PostgreSQL, SQLite): under the lock the last is the head.
        head_id = seals[-1].pk or AuditSeal.objects.order_by("-id").values_list("id", flat=True)[0]
        kept = {"legacy": anchor["legacy"]} if anchor and "legacy" in anchor else {}
        _write_anchor({**kept, "count": count, "seal_id": head_id, "hash": prev})
    return len(seals)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    unsealed: int
    broken_event_id: int | None = None
    problem: str = ""


# The columns verify reads: the seal's, then the event's in canonical (sorted key) order, the
# detail as its stored JSON text (decoded only the first time a text is seen), then the mac.
_SEAL_COLUMNS = ("id", "prev_hash", "hash")
_EVENT_COLUMNS = (
    "event_id",
    "event__action",
    "event__actor_id",
    "event__actor_label",
    "event__client_address",
    "detail_text",
    "event__object_id",
    "event__object_type",
    "event__occurred_at",
    "event__outcome",
    "event__patient_id",
    "event__reason",
    "event__request_id",
    "event__role",
    "event__mac",
)
_ADDRESS_FIELD = AuditEvent._meta.get_field("client_address")
# Below this many seals verify stays in this process; above it, PARALLEL processes each take
# a segment of the chain (outside a transaction only: they read on their own connections).
PARALLEL = 2
PARALLEL_MIN = 50_000
_MEMO_LIMIT = 100_000


class _Forms:
    """canonical(event) and canonical(event, MAC_FIELDS) from a fetched row, byte for byte the
    same as from the model (tests/audit/test_chain.py compares them), without building a model
    or a dict: the sorted keys are written out, strings by json's own C escaper, and the parts
    that repeat from event to event (who, what detail; reason, request, role) remembered by
    their stored values."""

    def __init__(self) -> None:
        self.heads: dict[tuple[Any, ...], str] = {}
        self.ends: dict[tuple[Any, ...], str] = {}

    def _head(self, key: tuple[Any, ...]) -> str:
        action, actor_id, label, address, detail = key
        value = json.loads(detail) if isinstance(detail, str) else detail
        detail_text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
        address_text = (
            "null" if address is None else _text(str(_ADDRESS_FIELD.get_prep_value(address)))
        )
        head = (
            f'{{"action":{_text(action)},"actor_id":{_number(actor_id)},'
            f'"actor_label":{_text(label)},"client_address":{address_text},'
            f'"detail":{detail_text},'
        )
        if len(self.heads) >= _MEMO_LIMIT:
            self.heads.clear()
        self.heads[key] = head
        return head

    def _end(self, key: tuple[Any, ...]) -> str:
        reason, request_id, role = key
        end = f',"reason":{_text(reason)},"request_id":{_text(request_id)},"role":{_text(role)}}}'
        if len(self.ends) >= _MEMO_LIMIT:
            self.ends.clear()
        self.ends[key] = end
        return end

    def forms(
        self, event_id: int, action: str, actor_id: int | None, label: str, address: Any,
        detail: Any, object_id: str, object_type: str, occurred_at: Any, outcome: str,
        patient_id: int | None, reason: str, request_id: str, role: str,
    ) -> tuple[bytes, bytes]:  # fmt: skip
        """(full, signed) from the row's event columns, in _EVENT_COLUMNS order (mac aside)."""
        who = (action, actor_id, label, address, detail)
        head = self.heads.get(who) or self._head(who)
        rest = (reason, request_id, role)
        end = self.ends.get(rest) or self._end(rest)
        tail = (
            f'"object_id":{_text(object_id)},"object_type":{_text(object_type)},'
            f'"occurred_at":"{_moment(occurred_at)}","outcome":{_text(outcome)},'
            f'"patient_id":{"null" if patient_id is None else int(patient_id)}{end}'
        )
        return f'{head}"id":{event_id},{tail}'.encode(), f"{head}{tail}".encode()


def _keyed(key: bytes, prefix: bytes = b"") -> Any:
    """An HMAC-SHA256 state to copy per message: OpenSSL's own object where there is one (its
    copy costs a third of the pure-Python wrapper's), else hmac's."""
    if _hmac_new is not None:
        return _hmac_new(key, prefix, "sha256")
    return hmac.new(key, prefix, hashlib.sha256)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _moment(value: Any) -> str:
    """As canonical() writes occurred_at: the aware UTC time's isoformat (SQLite hands back a
    naive time, or text, in UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(value.isoformat())


def _signed_forms(row: dict[str, Any]) -> tuple[bytes, bytes]:
    """(full, signed) of an event given as a dict of HASHED_FIELDS values (the generator of
    the benchmark network writes events this way)."""
    return _Forms().forms(
        *(row[name] for name in ("id", *sorted(n for n in HASHED_FIELDS if n != "id")))
    )


@dataclass(frozen=True)
class _Segment:
    """What verify found in one run of consecutive seals."""

    first_prev: str | None  # the stored prev_hash of its first seal (None: no seal in it)
    first_event_id: int | None
    last_hash: str
    last_event_id: int | None
    checked: int
    unsigned: tuple[int, ...]
    broken_event_id: int | None = None
    problem: str = ""


def _rows(low: int, high: int, chunk: int) -> Iterator[tuple[Any, ...]]:
    """Seals with low <= id < high, in order, with their events' columns: one query on a
    server-side cursor on PostgreSQL, read a chunk at a time, no model per row."""
    seal, event = AuditSeal._meta.db_table, AuditEvent._meta.db_table
    columns = ", ".join(
        [f"s.{name}" for name in _SEAL_COLUMNS]
        + [
            "CAST(e.detail AS text)"
            if name == "detail_text"
            else f"e.{name.removeprefix('event__')}"
            for name in _EVENT_COLUMNS
        ]
    ).replace("e.event_id", "e.id")
    query = (
        f"SELECT {columns} FROM {seal} s JOIN {event} e ON e.id = s.event_id"  # noqa: S608 (names from the models)
        " WHERE s.id >= %s AND s.id < %s ORDER BY s.id"
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(query, [low, high])
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _verify_segment(  # noqa: C901 (one loop: the per-row checks stay inline, for speed)
    low: int, high: int, anchor: dict[str, Any] | None, chunk: int = 5000
) -> _Segment:
    """Check every link from seal `low` up to (not including) `high`: the keyed link of each
    (over the previous hash, the event, its mac), each event's mac, the legacy part and the
    anchored head; the first seal's own prev_hash is taken as read, for the caller to tie to
    the segment before."""
    key = audit_key()
    legacy: dict[str, Any] = (anchor or {}).get("legacy") or {}
    legacy_seal = legacy.get("seal_id", 0)
    unsigned_max = legacy.get("unsigned_max_id", 0)
    anchor_seal = anchor["seal_id"] if anchor else None
    compare = hmac.compare_digest
    link_base, mac_base = _keyed(key), _keyed(key, b"event:")
    forms = _Forms().forms
    unsigned: list[int] = []
    rows = _rows(low, high, chunk)
    first = next(rows, None)
    if first is None:
        return _Segment(None, None, "", None, 0, ())
    first_prev, first_event = first[1], first[3]
    prev, last_event = first_prev, None
    checked = 0

    def found(event_id: int, problem: str) -> _Segment:
        return _Segment(
            first_prev, first_event, prev, last_event, checked, tuple(unsigned), event_id, problem
        )

    for (seal_id, prev_hash, seal_hash, event_id, action, actor_id, label, address, detail,
         object_id, object_type, occurred_at, outcome, patient_id, reason, request_id, role,
         mac) in chain((first,), rows):  # fmt: skip
        if prev_hash != prev:
            return found(
                event_id, "the link to the previous event is broken (an event was removed or moved)"
            )
        full, signed = forms(
            event_id, action, actor_id, label, address, detail, object_id, object_type,
            occurred_at, outcome, patient_id, reason, request_id, role,
        )  # fmt: skip
        if seal_id <= legacy_seal:
            problem = _legacy_problem(legacy, seal_id, seal_hash, prev.encode() + full)
            if problem:
                return found(event_id, problem)
        else:
            link = link_base.copy()
            link.update(prev.encode() + full + mac.encode())
            if not compare(link.hexdigest(), seal_hash):
                return found(
                    event_id, "the event's content differs from what was sealed (it was edited)"
                )
            if legacy and not mac and event_id <= unsigned_max:
                unsigned.append(event_id)  # written before the key, sealed after it
            else:
                signature = mac_base.copy()
                signature.update(signed)
                if not compare(signature.hexdigest(), mac):
                    return found(
                        event_id,
                        "the event was not written by the application (its signature is wrong)",
                    )
            if seal_id == anchor_seal and seal_hash != anchor["hash"]:  # type: ignore[index]
                return found(
                    event_id, "the chain differs from its anchored head (it was rewritten)"
                )
        prev = seal_hash
        checked += 1
        last_event = event_id
    return _Segment(first_prev, first_event, prev, last_event, checked, tuple(unsigned))


def _legacy_problem(legacy: dict[str, Any], seal_id: int, seal_hash: str, message: bytes) -> str:
    """A link sealed before the key: unkeyed SHA-256, and the cut-over head as anchored."""
    if hashlib.sha256(message).hexdigest() != seal_hash:
        return "the event's content differs from what was sealed (it was edited)"
    if seal_id == legacy["seal_id"] and seal_hash != legacy["hash"]:
        return "the chain differs from its head at the cut-over (it was rewritten)"
    return ""


def _segment_in_child(low: int, high: int, anchor: dict[str, Any] | None) -> _Segment:
    from django.db import connections

    connections.close_all()  # the parent's connection is not this process's to use
    try:
        return _verify_segment(low, high, anchor)
    finally:
        connections.close_all()


def _segments(anchor: dict[str, Any] | None, parts: int | None) -> list[_Segment]:
    """The chain cut into `parts` runs of seal ids, checked in processes of their own when the
    chain is long (each reads its own rows), else one after the other here. By default a short
    chain is one run: cutting it saves nothing and costs a query per run."""
    span = AuditSeal.objects.aggregate(low=Min("id"), high=Max("id"))
    if span["low"] is None:
        return []
    low, high = span["low"], span["high"] + 1
    if parts is None:
        parts = PARALLEL if high - low >= PARALLEL_MIN else 1
    parts = max(1, parts)
    bounds = [low + (high - low) * k // parts for k in range(parts)] + [high]
    ranges = [(a, b) for a, b in pairwise(bounds) if a < b]
    parallel = (
        len(ranges) > 1
        and high - low >= PARALLEL_MIN
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if not parallel:
        return [_verify_segment(a, b, anchor) for a, b in ranges]
    connection.close()  # not shared with the children
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
        return list(pool.map(_segment_in_child, *zip(*ranges, strict=True), [anchor] * len(ranges)))


def verify_chain(*, parts: int | None = None) -> Verification:
    """Walk every seal in order against the anchor; name the first event that does not hold.

    Streams plain rows (no model per event) and hashes by hmac.digest; the chain is cut into
    `parts` runs of seals, each checked from its first seal's stored prev_hash (in processes
    of their own on a long chain), then tied together here: each run must start where the one
    before ended, from the genesis hash. A chain begun before the key (see cut_over) is checked
    by its unkeyed SHA-256 links up to the anchored cut-over, whose head must match; the events
    written then carry no signature."""
    anchor = read_anchor()
    legacy = (anchor or {}).get("legacy")
    prev = GENESIS
    checked = 0
    last_event_id: int | None = None
    unsigned: list[int] = []
    for segment in _segments(anchor, parts):
        if segment.first_prev is None:
            continue
        if segment.first_prev != prev:
            return Verification(
                False, checked, _unsealed(), segment.first_event_id,
                "the link to the previous event is broken (an event was removed or moved)",
            )  # fmt: skip
        checked += segment.checked
        unsigned.extend(segment.unsigned)
        if segment.problem:
            return Verification(
                False, checked, _unsealed(), segment.broken_event_id, segment.problem
            )
        prev = segment.last_hash
        last_event_id = segment.last_event_id
    if checked and anchor is None:
        return Verification(
            False, checked, _unsealed(), last_event_id, "the chain's anchor file is missing"
        )
    if legacy and _digest(unsigned) != legacy["unsigned_digest"]:
        return Verification(
            False,
            checked,
            _unsealed(),
            last_event_id,
            "the events written before the key differ from those recorded at the cut-over",
        )
    if anchor and checked < anchor["count"]:
        return Verification(
            False,
            checked,
            _unsealed(),
            last_event_id,
            f"the chain has {checked} events but {anchor['count']} were anchored "
            "(events were removed from its end)",
        )
    return Verification(True, checked, _unsealed())


def _digest(event_ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(event_ids))).encode()).hexdigest()


@dataclass(frozen=True)
class CutOver:
    legacy_events: int
    unsigned_events: int


class CutOverRefused(Exception):
    """The chain has no legacy part, was already cut over, or is broken."""


def cut_over() -> CutOver:
    """Record where a chain sealed before KAPCLINIC_AUDIT_KEY existed ends, in the anchor.

    Its unkeyed links are checked first (a broken one is refused, never blessed); the anchor
    then pins the legacy head, and the ids of events written without a signature, so that
    verify holds the old part to exactly what it was at the cut-over."""
    while seal_pending():
        pass
    with transaction.atomic():
        _take_seal_lock(wait=True)
        anchor = read_anchor() or {}
        if "legacy" in anchor:
            raise CutOverRefused("The chain was already cut over.")
        prev, legacy_head, count = GENESIS, None, 0
        in_legacy = True
        unsigned: list[int] = []
        seals = AuditSeal.objects.select_related("event").order_by("id")
        for seal in seals.iterator(chunk_size=2000):
            if seal.prev_hash != prev:
                raise CutOverRefused(f"The chain is broken at event {seal.event_id}.")
            if in_legacy and legacy_link_hash(prev, seal.event) == seal.hash:
                count, legacy_head = count + 1, seal
            elif hmac.compare_digest(link_hash(prev, seal.event), seal.hash):
                in_legacy = False
                if not seal.event.mac:
                    unsigned.append(seal.event_id)
            else:
                raise CutOverRefused(f"The chain is broken at event {seal.event_id}.")
            prev = seal.hash
        if legacy_head is None:
            raise CutOverRefused("The chain has no part sealed before the key: nothing to do.")
        boundary = legacy_head
        head = AuditSeal.objects.only("id").latest("id")
        total = AuditSeal.objects.count()
        _write_anchor(
            {
                "count": total,
                "seal_id": head.id,
                "hash": prev,
                "legacy": {
                    "seal_id": boundary.id,
                    "hash": boundary.hash,
                    "count": count,
                    "unsigned_max_id": max(unsigned, default=0),
                    "unsigned_digest": _digest(unsigned),
                },
            }
        )
    return CutOver(legacy_events=count, unsigned_events=len(unsigned))


def _unsealed() -> int:
    return AuditEvent.objects.filter(seal__isnull=True).count()
