"""A patient marked as attended still occupies the rest of the slot: the PostgreSQL
constraint on patients now covers attended rows as well as booked ones (0003 covered booked
only, so recording attendance at the start of a session freed the patient for a second
booking at the same time). scheduling.models.OCCUPYING is the same list for the checks.
"""

from django.db import migrations

TABLE, NAME = "scheduling_attendance", "attendance_patient_no_overlap"


def _replace(schema_editor, statuses: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {NAME}")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} EXCLUDE USING gist "
        "(patient_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        f"WHERE (status IN ({statuses}))"
    )


def widen(apps, schema_editor):
    _replace(schema_editor, "'booked', 'attended'")


def narrow(apps, schema_editor):
    _replace(schema_editor, "'booked'")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_no_double_booking")]
    operations = [migrations.RunPython(widen, narrow)]
