"""What each program's page tells the person; the Introductory one says what the evidence favours."""

from django.db import migrations

# Repeated dosing is the studied regimen: esketamine's induction phase is twice weekly for
# 4 weeks (Spravato product monograph, Janssen Canada, "Dosage and administration").
DESCRIPTIONS = {
    "standard": (
        7,
        "About 4 to 6 weeks: a medical screening, preparation sessions, several ketamine "
        "sessions, and an integration session after each.",
        "Environ 4 à 6 semaines : une évaluation médicale, des séances de préparation, "
        "plusieurs séances de kétamine et une séance d'intégration après chacune.",
    ),
    "introductory": (
        2,
        "1 to 2 weeks with the same supports and fewer sessions, for people with established "
        "community support. The evidence favours a plan with several ketamine sessions: "
        "talk with your care team about whether the Standard program suits you better.",
        "1 à 2 semaines avec les mêmes soutiens et moins de séances, pour les personnes qui "
        "ont un soutien établi dans leur communauté. Les données probantes favorisent un plan "
        "comprenant plusieurs séances de kétamine : parlez avec votre équipe de soins du "
        "programme standard, qui pourrait mieux vous convenir.",
    ),
}


def describe(apps, schema_editor):
    ProgramTemplate = apps.get_model("care", "ProgramTemplate")
    for code, (days, english, french) in DESCRIPTIONS.items():
        ProgramTemplate.objects.filter(code=code, description_en="").update(
            days_between_dosing=days, description_en=english, description_fr=french
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0003_program_plan_and_description")]
    operations = [migrations.RunPython(describe, migrations.RunPython.noop)]
