"""The database itself refuses UPDATE, DELETE and TRUNCATE on the audit tables.

The only way past is the maintenance switch in audit/maintenance.py.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditseal")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION kapclinic_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('kapclinic.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _postgres(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION kapclinic_audit_append_only();",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION kapclinic_audit_append_only();",
    ]


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        "WHEN NOT kapclinic_audit_maintenance() "
        f"BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: {op} on {table} refused'); END;"
        for op in ("UPDATE", "DELETE")
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [POSTGRES_FUNCTION] + [s for t in TABLES for s in _postgres(t)]
    elif vendor == "sqlite":
        statements = [s for t in TABLES for s in _sqlite(t)]
    else:
        raise RuntimeError(f"No append-only triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
