"""Research consent: a fourth kind, and its first text (version 2026-01)."""

from django.db import migrations, models

RESEARCH_TEXT = (
    "I agree that my questionnaire scores are used for research, without my name, numbers or "
    "dates: only the scores and the days between them, under a code that changes with every "
    "export. I may withdraw this consent at any time; later exports leave me out.",
    "J'accepte que mes résultats aux questionnaires servent à la recherche, sans mon nom, mes "
    "numéros ni mes dates : seulement les résultats et le nombre de jours entre eux, sous un "
    "code qui change à chaque exportation. Je peux retirer ce consentement à tout moment; les "
    "exportations suivantes m'excluront.",
)


def seed_research_text(apps, schema_editor):
    ConsentText = apps.get_model("care", "ConsentText")
    english, french = RESEARCH_TEXT
    ConsentText.objects.get_or_create(
        kind="research", version="2026-01", defaults={"body_en": english, "body_fr": french}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0008_enrolment_previous_cycle"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("treatment", "Treatment"),
                    ("recording", "Recording of dosing sessions"),
                    ("share_with_referrer", "Sharing with the referring professional"),
                    ("research", "Use of de-identified outcomes for research"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="consenttext",
            name="kind",
            field=models.CharField(
                choices=[
                    ("treatment", "Treatment"),
                    ("recording", "Recording of dosing sessions"),
                    ("share_with_referrer", "Sharing with the referring professional"),
                    ("research", "Use of de-identified outcomes for research"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(seed_research_text, migrations.RunPython.noop),
    ]
