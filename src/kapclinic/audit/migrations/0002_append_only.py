"""The database itself refuses UPDATE, DELETE and TRUNCATE on the audit tables.

The only way past is the maintenance switch in audit/maintenance.py.
"""

from django.db import migrations

from kapclinic.audit import append_only

TABLES = ("audit_auditevent", "audit_auditseal")


def install(apps, schema_editor):
    append_only.install(schema_editor, slug="audit", label="audit trail", tables=TABLES)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
