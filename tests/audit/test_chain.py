"""The audit chain: sealed in order, verified, tamper named, append-only in the database."""

import json
import threading
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kapclinic.audit.chain import GENESIS, seal_pending, verify_chain
from kapclinic.audit.maintenance import set_audit_maintenance
from kapclinic.audit.models import Action, AuditEvent, AuditSeal
from kapclinic.audit.services import record_event


def write_events(count: int) -> list[AuditEvent]:
    return [record_event(actor=None, action=Action.READ, detail={"n": n}) for n in range(count)]


def tamper(sql: str, params: list[Any]) -> None:
    """What a database superuser could do: bypass the append-only guard and change a row."""
    set_audit_maintenance(connection, True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        set_audit_maintenance(connection, False)


@pytest.mark.django_db
def test_events_are_sealed_in_order_and_verify(seal: Any) -> None:
    events = write_events(5)
    assert seal() == 5
    seals = list(AuditSeal.objects.order_by("id"))
    assert [s.event_id for s in seals] == [e.pk for e in events]
    assert seals[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(seals))
    result = verify_chain()
    assert (result.ok, result.checked, result.unsealed) == (True, 5, 0)


@pytest.mark.django_db
def test_unsealed_backlog_is_visible_to_verify(seal: Any) -> None:
    write_events(2)
    seal()
    write_events(3)
    result = verify_chain()
    assert result.ok and result.checked == 2 and result.unsealed == 3


@pytest.mark.django_db
def test_an_edited_row_is_named_by_verify(seal: Any) -> None:
    events = write_events(4)
    seal()
    tamper(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing happened", events[2].pk]
    )
    result = verify_chain()
    assert not result.ok
    assert result.broken_event_id == events[2].pk
    assert result.checked == 2
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: the event's content"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_removed_event_breaks_the_link_of_the_next(seal: Any) -> None:
    events = write_events(4)
    seal()
    tamper("DELETE FROM audit_auditseal WHERE event_id = %s", [events[1].pk])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].pk
    assert "link to the previous event" in result.problem


@pytest.mark.django_db
def test_swapped_events_are_detected(seal: Any) -> None:
    events = write_events(3)
    seal()
    tamper("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"n": 1}', events[0].pk])
    tamper("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"n": 0}', events[1].pk])
    assert verify_chain().broken_event_id == events[0].pk


@pytest.mark.django_db
def test_verify_command_reports_a_sound_chain(
    seal: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    write_events(3)
    call_command("audit", "seal")
    call_command("audit", "verify")
    assert "Audit chain OK: 3 events verified; 0 not yet sealed" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditseal SET hash = 'x'",
        "DELETE FROM audit_auditseal",
    ],
)
def test_the_database_refuses_to_change_audit_rows(statement: str, seal: Any) -> None:
    write_events(1)
    seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement)
    assert AuditEvent.objects.count() == 1


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(transactional_db: None) -> None:
    write_events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute("TRUNCATE audit_auditevent CASCADE")


@pytest.mark.postgres
def test_concurrent_writers_and_sealers_leave_one_unbroken_chain(transactional_db: None) -> None:
    writers, per_writer = 8, 60
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for n in range(per_writer):
                with transaction.atomic():
                    record_event(actor=None, action=Action.READ, detail={"n": n})
                seal_pending(wait=n % 2 == 0)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seal_pending()
    result = verify_chain()
    assert result.ok and result.checked == writers * per_writer and result.unsealed == 0
    assert AuditSeal.objects.values("prev_hash").distinct().count() == writers * per_writer


@pytest.mark.django_db
def test_the_anchor_records_the_head_at_each_seal(settings: Any) -> None:
    write_events(3)
    seal_pending()
    record_event(actor=None, action=Action.READ, detail={"n": 3})
    seal_pending()
    head = AuditSeal.objects.order_by("-id").first()
    assert head is not None
    anchor = json.loads(settings.AUDIT_ANCHOR.read_text())
    assert anchor == {"count": 4, "seal_id": head.pk, "hash": head.hash}


@pytest.mark.django_db
def test_verify_signs_the_same_bytes_as_the_model_without_building_one(seal: Any) -> None:
    """verify reads plain rows for speed; what it hashes must be canonical() byte for byte,
    even with an IPv6 address, a nested "id" key in the detail and quotes in a label."""
    from kapclinic.audit.chain import MAC_FIELDS, _Forms, _rows, canonical, event_mac

    record_event(
        actor=None,
        action=Action.READ,
        reason='said "id":1, then left',
        detail={"id": 7, "object_id": "x", "nested": {"id": 2, "b": [1, "é"]}},
    )
    written = AuditEvent(action=Action.DENIED, client_address="2001:DB8::0:1", object_id="9")
    written.mac = event_mac(written)
    written.save()
    record_event(actor=None, action=Action.READ, reason="another", detail={"id": 7})
    seal()
    forms = _Forms()
    for _round in range(2):  # the second time from what the first remembered
        for _seal_id, _prev, _hash, *content, _mac in _rows(0, 2**62, chunk=2):
            event = AuditEvent.objects.get(pk=content[0])
            full, signed = forms.forms(*content)
            assert full == canonical(event)
            assert signed == canonical(event, MAC_FIELDS)
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_verify_cut_into_segments_names_the_same_first_broken_event(seal: Any, parts: int) -> None:
    """verify checks runs of seals apart and ties each to the one before: an edit, or a seal
    removed where one run ends and the next begins, is still named, and the first one wins."""
    events = write_events(12)
    seal()
    assert verify_chain(parts=parts).ok
    first = AuditSeal.objects.order_by("id").first()
    assert first is not None
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["edited", events[9].pk])
    result = verify_chain(parts=parts)
    assert (result.ok, result.broken_event_id) == (False, events[9].pk)
    tamper("DELETE FROM audit_auditseal WHERE id = %s", [first.pk + 6])
    result = verify_chain(parts=parts)
    assert (result.ok, result.broken_event_id) == (False, events[7].pk), result
    assert "removed or moved" in result.problem


@pytest.mark.postgres
def test_a_long_chain_is_verified_in_processes_and_an_edit_is_still_found(
    transactional_db: None, seal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kapclinic.audit import chain

    monkeypatch.setattr(chain, "PARALLEL_MIN", 0)  # as if the chain were long
    pools: list[int] = []

    class CountedPool(chain.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(chain, "ProcessPoolExecutor", CountedPool)
    events = write_events(10)
    seal()
    assert verify_chain().ok
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["edited", events[8].pk])
    result = verify_chain()
    assert (result.ok, result.checked, result.broken_event_id) == (False, 8, events[8].pk)
    assert pools == [chain.PARALLEL, chain.PARALLEL]
