"""The application's database role (SECURITY.md B3; issue 11, item 7): on the audit trail and the
register it may only read and append; it cannot change rows, truncate, disable the triggers, or
use the maintenance switch, which only the tables' owner may."""

import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kapclinic.audit.roles import append_only_tables

pytestmark = [pytest.mark.postgres]

INSERT_EVENT = (
    "INSERT INTO audit_auditevent (occurred_at, actor_label, role, object_type, object_id, action,"
    " outcome, reason, request_id, detail, mac) VALUES (now(), 'app', '', '', '', 'read',"
    " 'success', '', '', '{}', '') RETURNING id"
)


@pytest.fixture
def app_role(transactional_db: None) -> Iterator[str]:
    """A fresh application role, granted by the command; dropped afterwards (roles are shared
    by every database of the server)."""
    name = f"kc_app_{uuid.uuid4().hex[:10]}"
    call_command("db", "roles", "--app-role", name, stdout=StringIO())
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def as_app(app_role: str) -> Iterator[psycopg.Connection[Any]]:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=app_role,
        autocommit=True,
    ) as app:
        yield app


def attempt(app: psycopg.Connection[Any], sql: str) -> str:
    """The error PostgreSQL gives the application role for `sql`, "" when it ran."""
    try:
        app.execute(sql)
    except psycopg.Error as error:
        return str(error)
    return ""


def refused(app: psycopg.Connection[Any], sql: str) -> str:
    """The error PostgreSQL gives the application role for `sql` (the test fails if none)."""
    message = attempt(app, sql)
    assert message, f"the application role could run: {sql}"
    return message


def test_the_app_role_appends_and_reads_the_audit_trail(as_app: psycopg.Connection[Any]) -> None:
    row = as_app.execute(INSERT_EVENT).fetchone()
    assert row is not None
    count = as_app.execute("SELECT count(*) FROM audit_auditevent WHERE id = %s", [row[0]])
    assert count.fetchone() == (1,)


@pytest.mark.parametrize("table", append_only_tables())
def test_the_app_role_cannot_change_remove_or_truncate_append_only_rows(
    as_app: psycopg.Connection[Any], table: str, security_figures: Any
) -> None:
    statements = (
        f"UPDATE {table} SET id = id",  # noqa: S608  (table names from append_only.TABLES)
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table}",
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"CREATE TRIGGER sneak BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    )
    answers = {sql: attempt(as_app, sql) for sql in statements}
    allowed = [
        sql for sql, m in answers.items() if not ("permission denied" in m or "must be owner" in m)
    ]
    security_figures("append_only", tried=len(statements), refused=len(statements) - len(allowed))
    assert allowed == []


def test_the_app_role_cannot_switch_the_triggers_off(as_app: psycopg.Connection[Any]) -> None:
    assert "permission denied" in refused(as_app, "SET session_replication_role = replica")
    message = refused(
        as_app,
        "CREATE OR REPLACE FUNCTION kapclinic_audit_append_only() RETURNS trigger AS "
        "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    )
    assert "must be owner" in message or "permission denied" in message


def test_the_maintenance_switch_does_not_open_the_trail_to_the_app_role(
    app_role: str, as_app: psycopg.Connection[Any], security_figures: Any
) -> None:
    """Even with an UPDATE and DELETE granted by mistake, the switch is refused to a non-owner."""
    event_id = as_app.execute(INSERT_EVENT).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE, DELETE ON audit_auditevent TO "{app_role}"')
    as_app.execute("SELECT set_config('kapclinic.audit_maintenance', 'on', false)")
    statements = (
        f"UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = {event_id}",  # noqa: S608
        f"DELETE FROM audit_auditevent WHERE id = {event_id}",  # noqa: S608
    )
    answers = [attempt(as_app, sql) for sql in statements]
    caught = sum("audit trail is append-only" in answer for answer in answers)
    security_figures("append_only", tried=len(statements), refused=caught)
    assert caught == len(statements), answers


def test_the_owner_keeps_the_maintenance_switch(app_role: str) -> None:
    """The test harness (the owner) still empties the tables between tests with the switch on."""
    from kapclinic.audit.maintenance import set_audit_maintenance

    with connection.cursor() as cursor:
        cursor.execute(INSERT_EVENT)
        event_id = cursor.fetchone()[0]
        set_audit_maintenance(connection, True)
        try:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event_id])
            assert cursor.rowcount == 1
        finally:
            set_audit_maintenance(connection, False)


def test_the_command_refuses_a_role_that_owns_the_tables(transactional_db: None) -> None:
    owner = connection.settings_dict["USER"] or "postgres"
    with pytest.raises(CommandError, match="cannot be the application's role"):
        call_command("db", "roles", "--app-role", owner, stdout=StringIO())


def test_the_command_prints_its_grants(app_role: str) -> None:
    out = StringIO()
    call_command("db", "roles", "--app-role", app_role, "--print", stdout=out)
    assert f'GRANT SELECT, INSERT ON "audit_auditevent" TO "{app_role}";' in out.getvalue()
    assert "CREATE ROLE" not in out.getvalue()  # it exists: the command is idempotent
