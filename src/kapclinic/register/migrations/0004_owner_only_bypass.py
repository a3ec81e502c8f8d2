"""On PostgreSQL the maintenance switch opens the register's tables only to their owner
(issue 11, item 7): the application's role may set it and is still refused."""

from django.db import migrations

from kapclinic.audit import append_only


def replace(apps, schema_editor):
    append_only.replace_function(schema_editor, slug="register", label="the register")


class Migration(migrations.Migration):
    dependencies = [("register", "0003_whole_units"), ("audit", "0004_owner_only_bypass")]
    operations = [migrations.RunPython(replace, migrations.RunPython.noop)]
