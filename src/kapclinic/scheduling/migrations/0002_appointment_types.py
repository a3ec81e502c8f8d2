"""Seed the appointment types; durations, roles, rooms and capacity are data a medical director edits."""

from django.db import migrations

RIDE_HOME_EN = (
    "Do not drive for the rest of the day: arrange for someone to take you home. "
    "Do not eat for 2 hours before, and bring comfortable clothes and your medication list."
)
RIDE_HOME_FR = (
    "Ne conduisez pas du reste de la journée : prévoyez quelqu'un pour vous raccompagner. "
    "Ne mangez pas dans les 2 heures précédentes et apportez des vêtements confortables et la "
    "liste de vos médicaments."
)
# code, kind, English, French, minutes, lead role, dosing room, medical on site, capacity
TYPES = [
    (
        "medical-screening",
        "medical_screening",
        "Medical screening",
        "Évaluation médicale",
        45,
        "physician",
        False,
        False,
        1,
    ),
    (
        "preparation",
        "preparation",
        "Preparation session",
        "Séance de préparation",
        60,
        "therapist",
        False,
        False,
        1,
    ),
    # Sessions of about 2-3 hours with at least 2 hours of observation after the dose
    # (Spravato REMS monitoring; Journey Clinical session length, reference/CLINICAL.md 3.2-3.3).
    (
        "ketamine-session",
        "dosing",
        "Ketamine session",
        "Séance de kétamine",
        180,
        "therapist",
        True,
        True,
        1,
    ),
    (
        "integration",
        "integration",
        "Integration session",
        "Séance d'intégration",
        60,
        "therapist",
        False,
        False,
        1,
    ),
    (
        "integration-group",
        "integration_group",
        "Integration group",
        "Groupe d'intégration",
        90,
        "therapist",
        False,
        False,
        8,
    ),
]


def seed(apps, schema_editor):
    AppointmentType = apps.get_model("scheduling", "AppointmentType")
    fields = (
        "kind",
        "name_en",
        "name_fr",
        "duration_minutes",
        "lead_role",
        "needs_dosing_room",
        "needs_medical_on_site",
        "capacity",
    )
    for code, *values in TYPES:
        defaults = dict(zip(fields, values, strict=True))
        if defaults["kind"] == "dosing":
            defaults.update(what_to_bring_en=RIDE_HOME_EN, what_to_bring_fr=RIDE_HOME_FR)
        AppointmentType.objects.get_or_create(code=code, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
