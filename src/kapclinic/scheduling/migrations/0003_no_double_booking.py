"""On PostgreSQL, the database itself refuses overlapping bookings of a room, a clinician or
a patient (exclusion constraints over half-open time ranges, among booked rows only), so
concurrent requests cannot both win. SQLite, the single-user demo database, relies on the
checks in scheduling.rules and on SQLite's one-writer-at-a-time locking.
"""

from django.db import migrations

CONSTRAINTS = [
    ("scheduling_appointment", "appointment_room_no_overlap", "room_id"),
    ("scheduling_appointment", "appointment_clinician_no_overlap", "clinician_id"),
    ("scheduling_attendance", "attendance_patient_no_overlap", "patient_id"),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, name, column in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            "WHERE (status = 'booked')"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, _column in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_appointment_types")]
    operations = [migrations.RunPython(add, remove)]
