"""A chain sealed before KAPCLINIC_AUDIT_KEY existed (unkeyed SHA-256 links, events without a
signature) verifies again after `kapclinic audit cutover`, which pins its head in the anchor;
changing that old part afterwards is still caught."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kapclinic.audit.chain import GENESIS, legacy_link_hash, verify_chain
from kapclinic.audit.maintenance import set_audit_maintenance
from kapclinic.audit.models import Action, AuditEvent, AuditSeal
from kapclinic.audit.services import record_event

pytestmark = pytest.mark.django_db


def legacy_chain(count: int) -> list[AuditEvent]:
    """What the code before the key wrote: events without a mac, sealed by plain SHA-256."""
    last = AuditSeal.objects.order_by("-id").first()
    prev = last.hash if last else GENESIS
    events = []
    for n in range(count):
        event = AuditEvent.objects.create(action=Action.READ, detail={"old": n})
        current = legacy_link_hash(prev, event)
        AuditSeal.objects.create(event=event, prev_hash=prev, hash=current)
        prev = current
        events.append(event)
    return events


def cutover() -> str:
    out = StringIO()
    call_command("audit", "cutover", stdout=out)
    return out.getvalue()


def test_a_legacy_chain_verifies_after_the_cutover(seal: Any) -> None:
    old = legacy_chain(3)
    written_before_sealed_after = AuditEvent.objects.create(action=Action.READ)
    record_event(actor=None, action=Action.READ, detail={"new": 1})
    seal()
    before = verify_chain()
    assert not before.ok and before.broken_event_id == old[0].pk
    said = cutover()
    assert "3 events sealed before the key" in said
    assert "1 written before the key were sealed after it" in said
    after = verify_chain()
    assert after.ok and after.checked == 5
    record_event(actor=None, action=Action.READ, detail={"new": 2})
    seal()
    assert verify_chain().ok  # sealing goes on; the anchor keeps the cut-over
    assert written_before_sealed_after.seal.hash


def test_rewriting_the_legacy_part_after_the_cutover_is_caught(seal: Any) -> None:
    old = legacy_chain(3)
    cutover()
    # A database superuser edits the first old event and recomputes every unkeyed link.
    set_audit_maintenance(connection, True)
    try:
        AuditEvent.objects.filter(pk=old[0].pk).update(reason="rewritten")
        seals = list(AuditSeal.objects.select_related("event").order_by("id"))
        prev = GENESIS
        for row in seals:
            new = legacy_link_hash(prev, row.event)
            AuditSeal.objects.filter(pk=row.pk).update(prev_hash=prev, hash=new)
            prev = new
    finally:
        set_audit_maintenance(connection, False)
    result = verify_chain()
    assert not result.ok
    assert "cut-over" in result.problem


def test_an_unsigned_event_forged_after_the_cutover_is_caught(seal: Any) -> None:
    legacy_chain(2)
    cutover()
    AuditEvent.objects.create(action=Action.READ, reason="forged, no signature")
    seal()
    result = verify_chain()
    assert not result.ok and "signature" in result.problem


def test_the_cutover_runs_once_and_only_on_a_legacy_chain(seal: Any) -> None:
    record_event(actor=None, action=Action.READ)
    seal()
    with pytest.raises(CommandError, match="nothing to do"):
        cutover()
    legacy_chain(1)  # cannot follow a keyed link: the chain is broken there
    with pytest.raises(CommandError, match="broken"):
        cutover()


def test_a_second_cutover_is_refused(seal: Any) -> None:
    legacy_chain(1)
    cutover()
    with pytest.raises(CommandError, match="already cut over"):
        cutover()
