"""Seed the conditions catalogue: what the network offers and what is under development."""

from django.db import migrations

CONDITIONS = [
    ("depression", "Depression", "Dépression", "offered"),
    (
        "treatment_resistant_depression",
        "Treatment-resistant depression",
        "Dépression résistante au traitement",
        "offered",
    ),
    ("anxiety", "Anxiety", "Anxiété", "offered"),
    (
        "ptsd",
        "Post-traumatic stress disorder (PTSD)",
        "Trouble de stress post-traumatique (TSPT)",
        "offered",
    ),
    ("addiction", "Addiction", "Dépendance", "offered"),
    ("eating_disorder", "Eating disorders", "Troubles alimentaires", "under_development"),
    ("chronic_pain", "Chronic pain", "Douleur chronique", "under_development"),
]


def seed(apps, schema_editor):
    Condition = apps.get_model("clinics", "Condition")
    for position, (code, name_en, name_fr, status) in enumerate(CONDITIONS):
        Condition.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "status": status,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("clinics", "0003_condition")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
