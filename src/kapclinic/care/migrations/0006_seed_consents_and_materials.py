"""Seed the consent texts (version 2026-01) and the preparation materials; both are data the
medical director edits. A new wording is a new version; signed consents keep theirs."""

from django.db import migrations

VERSION = "2026-01"
CONSENT_TEXTS = {
    "treatment": (
        "I agree to take part in ketamine-assisted psychotherapy. I was told what ketamine "
        "does, its common effects (nausea, dizziness, raised blood pressure, dissociation), "
        "that I must not drive for the rest of a dosing day, and that I may stop at any time.",
        "J'accepte de participer à la psychothérapie assistée par la kétamine. On m'a expliqué "
        "ce que fait la kétamine, ses effets fréquents (nausée, étourdissements, hausse de la "
        "tension artérielle, dissociation), que je ne dois pas conduire le reste d'une journée "
        "de séance, et que je peux arrêter à tout moment.",
    ),
    "recording": (
        "I agree that my ketamine sessions are filmed for my safety. Recordings are encrypted, "
        "seen only by the care team and the people I authorise, every viewing is logged, and "
        "I may withdraw this consent for future sessions at any time.",
        "J'accepte que mes séances de kétamine soient filmées pour ma sécurité. Les "
        "enregistrements sont chiffrés, vus seulement par l'équipe de soins et les personnes "
        "que j'autorise, chaque visionnement est journalisé, et je peux retirer ce "
        "consentement pour les séances futures à tout moment.",
    ),
    "share_with_referrer": (
        "I agree that the clinic sends letters and progress reports about my care to the "
        "professional who referred me.",
        "J'accepte que la clinique envoie des lettres et des rapports d'évolution sur mes soins "
        "au professionnel qui m'a orienté.",
    ),
}
# code, kind, English title, French title, English text, French text
MATERIALS = [
    (
        "what-to-expect",
        "reading",
        "What to expect in a ketamine session",
        "À quoi s'attendre lors d'une séance de kétamine",
        "How a session unfolds: arrival and checks, the dose, about an hour of effects with "
        "your therapist present, rest and observation for at least two hours, then home with "
        "your escort.",
        "Le déroulement d'une séance : accueil et vérifications, la dose, environ une heure "
        "d'effets en présence de votre thérapeute, repos et observation pendant au moins deux "
        "heures, puis retour avec votre accompagnateur.",
    ),
    (
        "dosing-day-safety",
        "reading",
        "Safety on dosing days",
        "Sécurité les jours de séance",
        "Do not eat for two hours before. Arrange a ride home: no driving for the rest of the "
        "day. Tell us about any new medication.",
        "Ne mangez pas dans les deux heures précédentes. Prévoyez quelqu'un pour vous "
        "raccompagner : pas de conduite le reste de la journée. Signalez tout nouveau "
        "médicament.",
    ),
    (
        "grounding-practice",
        "training",
        "Breathing and grounding practice",
        "Pratique de respiration et d'ancrage",
        "Practise the 4-7-8 breath and the five-senses grounding exercise daily before your "
        "first session; your therapist will use them with you.",
        "Pratiquez la respiration 4-7-8 et l'exercice d'ancrage des cinq sens chaque jour avant "
        "votre première séance; votre thérapeute les utilisera avec vous.",
    ),
]


def seed(apps, schema_editor):
    ConsentText = apps.get_model("care", "ConsentText")
    Material = apps.get_model("care", "Material")
    for kind, (english, french) in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            kind=kind, version=VERSION, defaults={"body_en": english, "body_fr": french}
        )
    fields = ("kind", "title_en", "title_fr", "body_en", "body_fr")
    for code, *values in MATERIALS:
        Material.objects.get_or_create(code=code, defaults=dict(zip(fields, values, strict=True)))


class Migration(migrations.Migration):
    dependencies = [("care", "0005_consent_texts_and_materials")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
