"""The database itself keeps a released letter as it was sent and the delivery log append-only.

A released or superseded letter may only move from released to superseded (with its time); any
other change, and any DELETE, is refused. The delivery log refuses UPDATE and DELETE. The test
harness's maintenance switch (audit/maintenance.py) lifts both, to empty the database."""

from django.db import migrations

from kapclinic.audit import append_only

FROZEN = (
    "kind",
    "language",
    "version",
    "patient_id",
    "referrer_id",
    "note",
    "pdf",
    "pdf_sha256",
    "released_at",
    "released_by_id",
    "drafted_by_id",
    "drafted_at",
    "supersedes_id",
)
MESSAGE = "a released letter is never changed: correct it with a new version"

POSTGRES = """
CREATE OR REPLACE FUNCTION kapclinic_letter_frozen() RETURNS trigger AS $$
BEGIN
    IF current_setting('kapclinic.audit_maintenance', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'letters are never deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.status <> 'draft' AND ({changed} OR NEW.status = 'draft') THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sharedcare_letter_frozen BEFORE UPDATE OR DELETE ON sharedcare_letter
    FOR EACH ROW EXECUTE FUNCTION kapclinic_letter_frozen();
""".format(
    changed=" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN), message=MESSAGE
)

SQLITE = [
    "CREATE TRIGGER sharedcare_letter_frozen BEFORE UPDATE ON sharedcare_letter "
    "WHEN NOT kapclinic_audit_maintenance() AND OLD.status <> 'draft' AND ("
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    + f" OR NEW.status = 'draft') BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    "CREATE TRIGGER sharedcare_letter_no_delete BEFORE DELETE ON sharedcare_letter "
    "WHEN NOT kapclinic_audit_maintenance() "
    "BEGIN SELECT RAISE(ABORT, 'letters are never deleted'); END;",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES], "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"No letter triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
    append_only.install(
        schema_editor,
        slug="deliverylog",
        label="letter delivery log",
        tables=("sharedcare_deliverylog",),
    )


class Migration(migrations.Migration):
    dependencies = [("sharedcare", "0001_initial"), ("audit", "0003_event_mac")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
