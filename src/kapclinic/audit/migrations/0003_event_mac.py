"""Each audit event carries the application's HMAC of its content (audit.chain.event_mac).

On SQLite adding the column rebuilds the table, which drops its append-only triggers: they are
installed again (PostgreSQL keeps them through ALTER TABLE).
"""

from django.db import migrations, models

from kapclinic.audit import append_only


def reinstall_sqlite_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        append_only.install(
            schema_editor, slug="audit", label="audit trail", tables=("audit_auditevent",)
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(reinstall_sqlite_guard, migrations.RunPython.noop),
    ]
