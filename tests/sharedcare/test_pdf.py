"""The letters as PDF, in English and in French: the text a referrer reads (pypdf extracts it)."""

# ruff: noqa: RUF001 (French typography: the typographic apostrophe)

import io
from typing import Any

import pytest
from pypdf import PdfReader

from kapclinic.sharedcare import services
from kapclinic.sharedcare.models import LetterKind
from tests.sharedcare.conftest import share_consent

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The PDF's text on one line (pypdf breaks lines where the page does)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pdf(people: dict[str, Any], kind: str, language: str, note: str = "") -> bytes:
    people["referrer"].language = language
    people["referrer"].save()
    share_consent(people["patient_a"], people["physician"])
    letter = services.draft_letter(
        by=people["physician"], patient=people["patient_a"], kind=kind, note=note
    )
    return bytes(services.release_letter(by=people["physician"], letter_id=letter.pk).pdf)


EXPECTED = {
    ("en", LetterKind.ACKNOWLEDGEMENT): [
        "Acknowledgement of receipt",
        "We received your referral R2026-",
        "within 24 hours",
    ],
    ("fr", LetterKind.ACKNOWLEDGEMENT): [
        "Accusé de réception",
        "Nous avons reçu votre demande R2026-",
        "dans les 24 heures",
    ],
    ("en", LetterKind.ELIGIBILITY): [
        "Eligibility outcome",
        "Eligibility for ketamine-assisted psychotherapy: Eligible (determination signed on",
    ],
    ("fr", LetterKind.ELIGIBILITY): [
        "Résultat de l’admissibilité",
        "Admissibilité à la psychothérapie assistée par la kétamine : Admissible",
    ],
    ("en", LetterKind.PROGRAM_START): ["Program start", "The patient started the Standard"],
    ("fr", LetterKind.PROGRAM_START): ["Début du programme", "Le patient a commencé le"],
    ("en", LetterKind.PROGRESS): [
        "Progress report",
        "at the Integrate stage",
        "Questionnaire scores",
        "PHQ-9 21",
        "PHQ-9 8",
    ],
    ("fr", LetterKind.PROGRESS): [
        "Rapport d’évolution",
        "à l’étape Intégration",
        "Scores aux questionnaires",
        "PHQ-9 21",
    ],
    ("en", LetterKind.DISCHARGE): ["Discharge summary", "The patient was discharged from the"],
    ("fr", LetterKind.DISCHARGE): ["Résumé de congé", "Le patient a reçu son congé du"],
}


@pytest.mark.parametrize(("language", "kind"), list(EXPECTED))
def test_the_letter_reads_in_the_referrers_language(
    referred: dict[str, Any], language: str, kind: str
) -> None:
    text = text_of(_pdf(referred, kind, language, note="Suivi dans quatre semaines."))
    for expected in EXPECTED[(language, kind)]:
        assert expected in text, (expected, text)
    born = {"en": "born 1985-06-15", "fr": "né(e) le 1985-06-15"}[language]
    assert f"Canary Zzyzx-Patient, {born}" in text
    assert "Suivi dans quatre semaines." in text
    assert referred["physician"].full_name in text


def test_the_progress_report_carries_the_trajectory_chart(referred: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(_pdf(referred, LetterKind.PROGRESS, "en")))
    # WeasyPrint draws the SVG chart as vector paths on the page, not as text: the page's
    # content stream is far larger than the same letter without scores.
    content = reader.pages[0].get_contents()
    assert content is not None
    assert len(content.get_data()) > 5000


def test_a_correction_says_it_replaces_the_previous_version(referred: dict[str, Any]) -> None:
    share_consent(referred["patient_a"], referred["physician"])
    first = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    services.release_letter(by=referred["physician"], letter_id=first.pk)
    first.refresh_from_db()
    correction = services.correct_letter(by=referred["physician"], letter=first, note="Fixed.")
    released = services.release_letter(by=referred["physician"], letter_id=correction.pk)
    assert "Corrected letter (version 2): it replaces the previous version" in text_of(
        bytes(released.pdf)
    )


def test_the_progress_report_charts_each_instrument_phq9_first(referred: dict[str, Any]) -> None:
    from kapclinic.sharedcare.render import letter_facts
    from tests.sharedcare.conftest import scores

    scores(referred["patient_a"], [14, 9], instrument="GAD-7")
    share_consent(referred["patient_a"], referred["physician"])
    letter = services.draft_letter(
        by=referred["physician"], patient=referred["patient_a"], kind=LetterKind.PROGRESS
    )
    facts = letter_facts(letter)
    assert facts.charted_instruments == ["PHQ-9", "GAD-7"]
    assert all(uri.startswith("data:image/svg+xml;base64,") for _i, uri in facts.charts)
    one = PdfReader(io.BytesIO(_pdf(referred, LetterKind.PROGRESS, "en")))
    # Two charts draw about twice the vector paths of one: WeasyPrint drew both SVGs.
    data = b"".join(page.get_contents().get_data() for page in one.pages)
    assert len(data) > 10000
