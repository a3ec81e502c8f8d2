"""The twelve ways the probe tampered with the audit trail; `audit verify` must catch each.

The tamperer can write the database as a superuser (bypassing the append-only triggers) but
has neither the audit key nor the anchor file. tests/security_catalogue.py counts each case
here as one tamper case tried, and caught when it passes.
"""

import hashlib
import hmac
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from kapclinic.audit.chain import canonical, seal_pending, verify_chain
from kapclinic.audit.maintenance import set_audit_maintenance
from kapclinic.audit.models import Action, AuditEvent, AuditSeal
from kapclinic.audit.services import record_event

GUESSED_KEY = b"not-the-audit-key"


def sql(statement: str, params: list[Any]) -> None:
    """A database superuser: bypass the append-only guard and run one statement."""
    set_audit_maintenance(connection, True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    finally:
        set_audit_maintenance(connection, False)


def forge_event(**fields: Any) -> AuditEvent:
    """An event inserted straight into the table (INSERT needs no bypass), mac made up."""
    event = AuditEvent(action=Action.READ, actor_label="nobody", detail={"forged": True}, **fields)
    message = b"event:" + canonical(event)
    event.mac = hmac.new(GUESSED_KEY, message, hashlib.sha256).hexdigest()
    event.save(force_insert=True)
    return event


def self_computed_link(prev: str, event: AuditEvent) -> str:
    """What a tamperer without the key can compute: the old unkeyed SHA-256 link."""
    return hashlib.sha256(prev.encode() + canonical(event) + event.mac.encode()).hexdigest()


def edit_event(events: list[AuditEvent]) -> None:
    sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing", events[2].pk])


def delete_middle_event(events: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[2].pk])
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])


def swap_event_contents(events: list[AuditEvent]) -> None:
    sql("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"n": 2}', events[1].pk])
    sql("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"n": 1}', events[2].pk])


def edit_seal_hash(events: list[AuditEvent]) -> None:
    sql("UPDATE audit_auditseal SET hash = %s WHERE event_id = %s", ["f" * 64, events[2].pk])


def delete_middle_seal(events: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[2].pk])


def edit_event_time(events: list[AuditEvent]) -> None:
    earlier = events[2].occurred_at - timedelta(days=3)
    sql("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s", [earlier, events[2].pk])


def delete_tail(events: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[-1].pk])
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])


def empty_the_trail(events: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditseal", [])
    sql("DELETE FROM audit_auditevent", [])


def forged_event_sealed_by_the_application(events: list[AuditEvent]) -> None:
    forge_event()
    seal_pending()


def back_dated_forged_event(events: list[AuditEvent]) -> None:
    forge_event(occurred_at=timezone.now() - timedelta(days=1))
    seal_pending()


def forged_event_with_a_self_computed_seal(events: list[AuditEvent]) -> None:
    head = AuditSeal.objects.order_by("-id").first()
    assert head is not None
    event = forge_event()
    AuditSeal.objects.create(
        event=event, prev_hash=head.hash, hash=self_computed_link(head.hash, event)
    )


def rewrite_middle_event_and_every_later_seal(events: list[AuditEvent]) -> None:
    edit_event(events)
    seals = list(AuditSeal.objects.select_related("event").order_by("id"))
    prev = seals[1].hash
    for seal in seals[2:]:
        seal.event.refresh_from_db()
        current = self_computed_link(prev, seal.event)
        sql(
            "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, current, seal.pk],
        )
        prev = current


CASES: dict[str, Callable[[list[AuditEvent]], None]] = {
    # Caught before the chain was keyed and anchored.
    "edited-event": edit_event,
    "deleted-middle-event": delete_middle_event,
    "swapped-event-contents": swap_event_contents,
    "edited-seal-hash": edit_seal_hash,
    "deleted-middle-seal": delete_middle_seal,
    "edited-event-time": edit_event_time,
    # Passed `audit verify` before (issue 11 item 7).
    "deleted-tail": delete_tail,
    "emptied-trail": empty_the_trail,
    "forged-unsealed-event-then-sealed": forged_event_sealed_by_the_application,
    "back-dated-forged-event": back_dated_forged_event,
    "forged-event-with-self-computed-seal": forged_event_with_a_self_computed_seal,
    "rewritten-middle-event-and-later-seals": rewrite_middle_event_and_every_later_seal,
}


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", CASES.values(), ids=CASES.keys())
def test_verify_catches_the_tampering(tamper: Callable[[list[AuditEvent]], None]) -> None:
    events = [record_event(actor=None, action=Action.READ, detail={"n": n}) for n in range(5)]
    seal_pending()
    assert verify_chain().ok
    tamper(events)
    result = verify_chain()
    assert not result.ok, result
    with pytest.raises(CommandError, match="Audit chain broken"):
        call_command("audit", "verify")
