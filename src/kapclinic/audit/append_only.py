"""Database triggers that make tables append-only (the audit trail, the substance register).

UPDATE and DELETE (and TRUNCATE on PostgreSQL) are refused unless the maintenance switch
(audit/maintenance.py) is on, which only the test harness uses to empty the database. On
PostgreSQL the switch counts only for a role that owns the table (the owner/migrator role, or a
superuser): the application's role (`kapclinic db roles`) may set it and is refused all the same,
and lacks the privileges to change the rows, disable the trigger or replace its function.
Migrations call `install(schema_editor, name, tables)`; `name` labels the function and the
message ("audit trail is append-only: DELETE on audit_auditevent refused").
"""

from typing import Any

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION kapclinic_{slug}_append_only() RETURNS trigger AS $$
BEGIN
    -- The switch is honoured only for a member of the table's owner role (superusers are).
    IF current_setting('kapclinic.audit_maintenance', true) = 'on' AND pg_has_role(
        current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
    ) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{label} is append-only: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog;
"""

# Every append-only table, by the app that owns it: the application's database role gets only
# SELECT and INSERT on these (audit/roles.py).
TABLES = {
    "audit": ("audit_auditevent", "audit_auditseal"),
    "register": ("register_ledgerentry", "register_count"),
}


def _postgres(slug: str, table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION kapclinic_{slug}_append_only();",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION kapclinic_{slug}_append_only();",
    ]


def _sqlite(label: str, table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        "WHEN NOT kapclinic_audit_maintenance() "
        f"BEGIN SELECT RAISE(ABORT, '{label} is append-only: {op} on {table} refused'); END;"
        for op in ("UPDATE", "DELETE")
    ]


def replace_function(schema_editor: Any, *, slug: str, label: str) -> None:
    """Rewrite the PostgreSQL trigger function in place (its triggers keep pointing at it)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION.format(slug=slug, label=label))


def install(schema_editor: Any, *, slug: str, label: str, tables: tuple[str, ...]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        function = POSTGRES_FUNCTION.format(slug=slug, label=label)
        statements = [function] + [s for t in tables for s in _postgres(slug, t)]
    elif vendor == "sqlite":
        statements = [s for t in tables for s in _sqlite(label, t)]
    else:
        raise RuntimeError(f"No append-only triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
