"""On PostgreSQL the maintenance switch opens the audit tables only to their owner (issue 11,
item 7): the application's role may set it and is still refused (audit/append_only.py)."""

from django.db import migrations

from kapclinic.audit import append_only


def replace(apps, schema_editor):
    append_only.replace_function(schema_editor, slug="audit", label="audit trail")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_event_mac")]
    operations = [migrations.RunPython(replace, migrations.RunPython.noop)]
