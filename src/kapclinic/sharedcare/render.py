"""A letter as a PDF, in the referrer's language, from one HTML template (WeasyPrint)."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from kapclinic.care.models import Enrolment
from kapclinic.care.selectors import current_enrolment
from kapclinic.charts import svg_data_uri
from kapclinic.referrals.models import Referral
from kapclinic.screening.models import Determination, QuestionnaireResponse
from kapclinic.sharedcare.models import Letter, LetterKind
from kapclinic.sharedcare.trajectory import trajectory_charts

CHARTED = frozenset({LetterKind.PROGRESS, LetterKind.DISCHARGE})


@dataclass(frozen=True)
class LetterFacts:
    """What a letter says, gathered once (the template runs no query)."""

    letter: Letter
    today: date
    referral: Referral | None
    determination: Determination | None
    enrolment: Enrolment | None
    program_name: str
    scores: list[QuestionnaireResponse]
    # (instrument, data URI of its SVG chart), PHQ-9 first; empty for uncharted kinds.
    charts: list[tuple[str, str]]

    @property
    def charted_instruments(self) -> list[str]:
        return [instrument for instrument, _uri in self.charts]


def letter_facts(letter: Letter) -> LetterFacts:
    patient = letter.patient
    enrolment = current_enrolment(patient)
    charts = trajectory_charts(patient) if letter.kind in CHARTED else []
    return LetterFacts(
        letter=letter,
        today=timezone.localdate(timezone=patient.clinic.tzinfo),
        referral=Referral.objects.filter(patient=patient, referrer=letter.referrer)
        .order_by("-created_at", "-id")
        .first(),
        determination=Determination.objects.filter(screening__patient=patient)
        .select_related("signed_by")
        .order_by("-signed_at", "-pk")
        .first(),
        enrolment=enrolment,
        program_name=enrolment.program.name(letter.language) if enrolment else "",
        scores=list(
            QuestionnaireResponse.objects.filter(patient=patient, entered_in_error=False).order_by(
                "submitted_at", "id"
            )
        ),
        charts=[(chart.instrument, svg_data_uri(chart.svg)) for chart in charts],
    )


@dataclass(frozen=True)
class RenderedLetter:
    """The PDF and what it read that the caller must audit (the charts' instruments)."""

    pdf: bytes
    charted_instruments: list[str]


def render_letter(letter: Letter) -> RenderedLetter:
    """The PDF of `letter` as it reads now (a released letter is served from storage instead)."""
    facts = letter_facts(letter)
    with translation.override(letter.language), timezone.override(letter.patient.clinic.tzinfo):
        html = render_to_string("sharedcare/letters/letter.html", {"facts": facts})
    return RenderedLetter(HTML(string=html).write_pdf(), facts.charted_instruments)


def letter_pdf(letter: Letter) -> bytes:
    """The PDF bytes only (the caller audits the read of the charts it drew)."""
    return render_letter(letter).pdf
