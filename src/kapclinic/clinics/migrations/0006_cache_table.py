"""The database cache's table, for deployments without Redis (settings.CACHES falls back to it).

createcachetable does nothing when the cache is Redis, and nothing when the table exists.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("clinics", "0005_clinic_crisis_resources")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
