"""The clinical rules' sentences reach the reader in their language: every sentence the pure
rules can say is in the French catalogue, words inside a sentence are translated too, and a
sentence stored years ago still reads in either language."""

import ast
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.utils import translation

import kapclinic
from kapclinic.clinical.eligibility import Candidate, assess
from kapclinic.clinical.journey import JourneyFacts, Stage, check_transition
from kapclinic.clinical.orders import MedicationOrder, check_order
from kapclinic.clinical.reasons import Phrase
from kapclinic.clinical.vitals import MONITORING_LIMITS, VitalsReading, alerts
from kapclinic.said import as_stored, said

PACKAGE = Path(kapclinic.__file__).parent
MARKERS = {"_", "gettext_noop"}


def marked_templates() -> set[str]:
    """Every string literal the clinical modules pass to gettext_noop (or its alias `_`)."""
    found = set()
    for source in (PACKAGE / "clinical").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_clinical_sentence_is_translated_in_the_catalogue() -> None:
    catalogue = polib.pofile(str(PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in catalogue.translated_entries()}
    templates = marked_templates()
    assert len(templates) > 80
    assert sorted(templates - translated) == []


def order(route: str) -> MedicationOrder:
    return MedicationOrder(route=route, dose_mg=Decimal(56), expires_on=date(2027, 1, 1))


def test_a_refusal_reads_in_french_with_the_words_inside_it_translated() -> None:
    (refusal,) = check_order(
        order("intravenous"), max_dose_mg=Decimal(200), today=date(2026, 11, 23)
    )
    with translation.override("fr"):
        assert said(refusal) == (
            "La kétamine par injection intraveineuse n\u2019est pas administrée dans cette "
            "clinique : prescrivez un vaporisateur nasal ou un comprimé sublingual à dissolution "
            "rapide."
        )
    with translation.override("en"):
        assert said(refusal) == refusal.sentence


def test_a_journey_refusal_names_the_stages_in_french() -> None:
    (refusal,) = check_transition(Stage.CONNECT, Stage.EXPERIENCE, JourneyFacts()).refusals
    with translation.override("fr"):
        assert said(refusal) == (
            "Le parcours ne peut pas passer de l\u2019étape Premier contact "
            "à l\u2019étape Expérience."
        )


def test_an_eligibility_finding_reads_in_french_with_its_consequence() -> None:
    candidate = Candidate(
        date_of_birth=date(1990, 1, 1),
        assessed_on=date(2026, 11, 23),
        province="QC",
        indication="chronic_pain",
    )
    (finding,) = [f for f in assess(candidate).findings if f.code == "indication.not_offered"]
    with translation.override("fr"):
        assert said(finding) == (
            "La psychothérapie assistée par la kétamine pour : douleur chronique n\u2019est pas "
            "encore offerte; le programme (douleur chronique) est en cours d\u2019élaboration. "
            "Cela exclut la psychothérapie assistée par la kétamine pour le moment."
        )


def test_a_stored_alert_reads_in_either_language_and_an_old_row_keeps_its_sentence() -> None:
    reading = VitalsReading(
        systolic=182, diastolic=88, pulse=80, spo2=97, taken_at=datetime(2026, 11, 23, tzinfo=UTC)
    )
    (alert,) = alerts(reading, MONITORING_LIMITS)
    stored = json.loads(json.dumps(as_stored(alert)))  # as the JSONField keeps it
    assert stored["code"] == "vitals.systolic.high"
    with translation.override("fr"):
        assert said(stored).startswith("Tension artérielle systolique : 182 mmHg dépasse")
    with translation.override("en"):
        assert said(stored) == alert.sentence
        assert said({"code": "x", "sentence": "Kept before phrases."}) == "Kept before phrases."


@pytest.mark.parametrize("language", ["en", "fr"])
def test_english_and_french_fill_the_same_values(language: str) -> None:
    (refusal,) = check_order(
        order("intranasal_spray"), max_dose_mg=Decimal(50), today=date(2026, 1, 1)
    )
    with translation.override(language):
        text = said(refusal)
    assert "56 mg" in text and "50 mg" in text


def test_a_decimal_dose_is_written_with_the_readers_decimal_mark() -> None:
    half = MedicationOrder(
        route="intranasal_spray", dose_mg=Decimal("12.5"), expires_on=date(2027, 1, 1)
    )
    refusals = check_order(half, max_dose_mg=Decimal(50), today=date(2026, 1, 1))
    with translation.override("en"):
        english = " ".join(said(r) for r in refusals)
    with translation.override("fr"):
        french = " ".join(said(r) for r in refusals)
    assert "12.5 mg" in english
    assert "12,5 mg" in french and "12.5" not in french
    # A value that is not a quantity keeps its point (a version, a code).
    with translation.override("fr"):
        assert said(Phrase("%(v)s", {"v": "v1.2"})) == "v1.2"
