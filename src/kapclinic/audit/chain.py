"""The hash chain: seal unsealed events in order, and verify the whole chain."""

import hashlib
import json
from dataclasses import dataclass

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


def canonical(event: AuditEvent) -> bytes:
    """The event as stable JSON: sorted keys, UTC ISO times, no whitespace."""
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["occurred_at"] = event.occurred_at.isoformat()
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(event)).hexdigest()


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
        last = AuditSeal.objects.order_by("-id").only("hash", "event_id").first()
        prev = last.hash if last else GENESIS
        pending = AuditEvent.objects.filter(seal__isnull=True)
        if window is not None and last is not None:
            pending = pending.filter(id__gt=last.event_id - window)
        pending = list(pending.order_by("id")[:batch])
        seals = []
        for event in pending:
            current = link_hash(prev, event)
            seals.append(AuditSeal(event=event, prev_hash=prev, hash=current))
            prev = current
        AuditSeal.objects.bulk_create(seals)
    return len(seals)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    unsealed: int
    broken_event_id: int | None = None
    problem: str = ""


def verify_chain(*, chunk: int = 2000) -> Verification:
    """Walk every seal in order; name the first event whose link does not hold."""
    prev = GENESIS
    checked = 0
    seals = AuditSeal.objects.select_related("event").order_by("id")
    for seal in seals.iterator(chunk_size=chunk):
        problem = ""
        if seal.prev_hash != prev:
            problem = "the link to the previous event is broken (an event was removed or moved)"
        elif link_hash(prev, seal.event) != seal.hash:
            problem = "the event's content differs from what was sealed (it was edited)"
        if problem:
            return Verification(False, checked, _unsealed(), seal.event_id, problem)
        prev = seal.hash
        checked += 1
    return Verification(True, checked, _unsealed())


def _unsealed() -> int:
    return AuditEvent.objects.filter(seal__isnull=True).count()
