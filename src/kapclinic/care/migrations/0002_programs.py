"""Seed the two programs; counts, durations and the window are data a medical director edits."""

from django.db import migrations

PROGRAMS = [
    # Standard: about 4-6 weeks, several ketamine sessions, an integration session after each.
    ("standard", "Standard program", "Programme standard", 4, 6, 2, 4, 4, False),
    # Introductory: 1-2 weeks, fewer sessions, only with established community support.
    ("introductory", "Introductory program", "Programme d'introduction", 1, 2, 1, 1, 1, True),
]


def seed(apps, schema_editor):
    ProgramTemplate = apps.get_model("care", "ProgramTemplate")
    fields = (
        "name_en",
        "name_fr",
        "min_weeks",
        "max_weeks",
        "preparation_sessions",
        "dosing_sessions",
        "integration_sessions",
        "requires_community_support",
    )
    for code, *values in PROGRAMS:
        ProgramTemplate.objects.get_or_create(
            code=code, defaults=dict(zip(fields, values, strict=True))
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
