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
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

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


# The columns verify reads, seal first then the event's content in HASHED_FIELDS order.
_SEAL_COLUMNS = ("id", "prev_hash", "hash")
_EVENT_COLUMNS = (
    "event_id",
    *(f"event__{name}" for name in HASHED_FIELDS if name != "id"),
    "event__mac",
)
_ADDRESS_FIELD = AuditEvent._meta.get_field("client_address")


def _signed_forms(row: dict[str, Any]) -> tuple[bytes, bytes]:
    """canonical(event) and canonical(event, MAC_FIELDS) from a fetched row, byte for byte the
    same as from the model (tests/audit/test_chain.py compares them), without building a model.

    The keys are sorted, so "id" comes right after "detail" and is followed only by string, number
    or null values, whose quotes JSON escapes: the last `,"id":N,` is the top-level one."""
    address = row["client_address"]
    if address is not None:
        row["client_address"] = _ADDRESS_FIELD.get_prep_value(address)
    row["occurred_at"] = row["occurred_at"].isoformat()
    # The stored detail is already JSON: its round trip through JSON in canonical() changes nothing.
    full = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
    id_part = f',"id":{row["id"]},'
    cut = full.rindex(id_part)
    return full.encode(), (full[:cut] + "," + full[cut + len(id_part) :]).encode()


@dataclass(frozen=True)
class _Link:
    """One sealed event as verify reads it: the seal's columns and the event's signed forms."""

    seal_id: int
    prev_hash: str
    hash: str
    event_id: int
    mac: str
    full: bytes
    signed: bytes


class _Checker:
    """The keyed HMAC states (reused, one per kind of message) and what the anchor pinned."""

    def __init__(self, anchor: dict[str, Any] | None) -> None:
        key = audit_key()
        self.link_base = hmac.new(key, digestmod=hashlib.sha256)
        self.mac_base = hmac.new(key, b"event:", digestmod=hashlib.sha256)
        self.anchor = anchor
        self.legacy: dict[str, Any] | None = (anchor or {}).get("legacy")
        self.unsigned: list[int] = []

    def problem(self, link: _Link, prev: str) -> str:
        if link.prev_hash != prev:
            return "the link to the previous event is broken (an event was removed or moved)"
        legacy = self.legacy
        if legacy and link.seal_id <= legacy["seal_id"]:
            if hashlib.sha256(prev.encode() + link.full).hexdigest() != link.hash:
                return "the event's content differs from what was sealed (it was edited)"
            if link.seal_id == legacy["seal_id"] and link.hash != legacy["hash"]:
                return "the chain differs from its head at the cut-over (it was rewritten)"
            return ""
        keyed = self.link_base.copy()
        keyed.update(prev.encode() + link.full + link.mac.encode())
        if not hmac.compare_digest(keyed.hexdigest(), link.hash):
            return "the event's content differs from what was sealed (it was edited)"
        if legacy and not link.mac and link.event_id <= legacy["unsigned_max_id"]:
            self.unsigned.append(link.event_id)  # written before the key, sealed after it
        else:
            signature = self.mac_base.copy()
            signature.update(link.signed)
            if not hmac.compare_digest(signature.hexdigest(), link.mac):
                return "the event was not written by the application (its signature is wrong)"
        anchor = self.anchor
        if anchor and link.seal_id == anchor["seal_id"] and link.hash != anchor["hash"]:
            return "the chain differs from its anchored head (it was rewritten)"
        return ""


def verify_chain(*, chunk: int = 5000) -> Verification:
    """Walk every seal in order against the anchor; name the first event that does not hold.

    Streams plain rows on a server-side cursor (no model per event) and reuses one keyed HMAC
    state per kind of message, so a trail of millions of events verifies in seconds. A chain
    begun before the key (see cut_over) is checked by its unkeyed SHA-256 links up to the
    anchored cut-over, whose head must match; the events written then carry no signature."""
    anchor = read_anchor()
    legacy = (anchor or {}).get("legacy")
    checker = _Checker(anchor)
    prev = GENESIS
    checked = 0
    last_event_id: int | None = None
    names = ("id", *(name for name in HASHED_FIELDS if name != "id"))
    rows = (
        AuditSeal.objects.order_by("id")
        .values_list(*_SEAL_COLUMNS, *_EVENT_COLUMNS)
        .iterator(chunk_size=chunk)
    )
    for seal_id, prev_hash, seal_hash, *content, mac in rows:
        event_id = content[0]
        full, signed = _signed_forms(dict(zip(names, content, strict=True)))
        link = _Link(seal_id, prev_hash, seal_hash, event_id, mac, full, signed)
        problem = checker.problem(link, prev)
        if problem:
            return Verification(False, checked, _unsealed(), event_id, problem)
        prev = seal_hash
        checked += 1
        last_event_id = event_id
    if checked and anchor is None:
        return Verification(
            False, checked, _unsealed(), last_event_id, "the chain's anchor file is missing"
        )
    if legacy and _digest(checker.unsigned) != legacy["unsigned_digest"]:
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
