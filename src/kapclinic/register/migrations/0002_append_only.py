"""The database refuses UPDATE, DELETE and TRUNCATE on ledger entries and counts.

A correction is a reversing entry. The only way past is the audit app's maintenance switch
(audit/maintenance.py), which the test harness uses to empty the database between tests.
"""

from django.db import migrations

from kapclinic.audit import append_only

TABLES = ("register_ledgerentry", "register_count")


def install(apps, schema_editor):
    append_only.install(schema_editor, slug="register", label="the register", tables=TABLES)


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
