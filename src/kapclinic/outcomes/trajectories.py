"""A patient's course on one questionnaire: the scores in time, the ketamine sessions, the
instrument's bands, and what it means (response and remission, clinical.outcomes).

The baseline is the first score inside the baseline measurement's window (from 30 days before
enrolment, so a screening questionnaire counts); without an enrolment, the first score. The
latest is the last score after the baseline. Callers audit the read (the chart, a letter).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from kapclinic.care.models import Enrolment
from kapclinic.clinical.instruments import (
    GAD7_BANDS,
    PCL5_BANDS,
    PHQ9_BANDS,
    Bands,
    get_instrument,
)
from kapclinic.clinical.outcomes import Outcome, outcome
from kapclinic.outcomes.models import Measurement, MeasurementKind
from kapclinic.patients.models import Patient
from kapclinic.scheduling.models import OCCUPYING, AppointmentKind, Attendance
from kapclinic.screening.models import QuestionnaireResponse

# The instruments followed over time (those with severity bands and a remission cut-off).
FOLLOWED = ("PHQ-9", "GAD-7", "PCL-5")
# Without a schedule (an enrolment made before outcomes existed): the seeded baseline window
# opens this many days before enrolment (outcomes migration 0002).
BASELINE_LOOKBACK_DAYS = 30
BANDS: dict[str, Bands] = {"PHQ-9": PHQ9_BANDS, "GAD-7": GAD7_BANDS, "PCL-5": PCL5_BANDS}


@dataclass(frozen=True, slots=True)
class Score:
    at: datetime
    total: int
    band: str


@dataclass(frozen=True, slots=True)
class Trajectory:
    instrument: str
    max_total: int
    bands: Bands
    scores: tuple[Score, ...]
    sessions: tuple[datetime, ...]
    baseline_at: datetime | None
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Window:
    """Where the baseline is looked for (the baseline measurement's window)."""

    opens_at: datetime | None
    closes_at: datetime | None


def baseline_window(enrolment: Enrolment | None) -> Window:
    if enrolment is None:
        return Window(None, None)
    found = (
        Measurement.objects.filter(enrolment=enrolment, kind=MeasurementKind.BASELINE)
        .values_list("opens_at", "closes_at")
        .first()
    )
    if found:
        return Window(*found)
    return Window(enrolment.enrolled_at - timedelta(days=BASELINE_LOOKBACK_DAYS), None)


def build(
    instrument: str,
    scores: Sequence[Score],
    sessions: Sequence[datetime],
    window: Window,
) -> Trajectory:
    """The trajectory from scores already loaded (oldest first): no query."""

    def in_window(score: Score) -> bool:
        after = window.opens_at is None or score.at >= window.opens_at
        before = window.closes_at is None or score.at <= window.closes_at
        return after and before

    baseline = next((s for s in scores if in_window(s)), None)
    later = [s for s in scores if baseline is not None and s.at > baseline.at]
    latest = later[-1] if later else None
    return Trajectory(
        instrument=instrument,
        max_total=get_instrument(instrument).max_total,
        bands=BANDS.get(instrument, ()),
        scores=tuple(scores),
        sessions=tuple(sessions),
        baseline_at=baseline.at if baseline else None,
        outcome=outcome(
            instrument,
            baseline.total if baseline else None,
            latest.total if latest else (None if baseline else _last_total(scores)),
            remission_below=settings.OUTCOMES_REMISSION_BELOW,
        ),
    )


def _last_total(scores: Sequence[Score]) -> int | None:
    return scores[-1].total if scores else None


def session_starts(patient: Patient) -> list[datetime]:
    """When the patient's ketamine sessions are (booked or attended), oldest first."""
    return list(
        Attendance.objects.filter(
            patient=patient,
            status__in=OCCUPYING,
            appointment__type__kind=AppointmentKind.DOSING,
        )
        .order_by("starts_at", "id")
        .values_list("starts_at", flat=True)
    )


def scores_of(patient: Patient, instruments: Iterable[str]) -> dict[str, list[Score]]:
    """Every valid score of these instruments, oldest first, in one query."""
    found: dict[str, list[Score]] = {code: [] for code in instruments}
    rows = (
        QuestionnaireResponse.objects.filter(
            patient=patient, instrument__in=list(found), entered_in_error=False
        )
        .order_by("submitted_at", "id")
        .values_list("instrument", "submitted_at", "total", "band")
    )
    for code, at, total, band in rows:
        found[code].append(Score(at, total, band))
    return found


def trajectories_of(patient: Patient, enrolment: Enrolment | None) -> list[Trajectory]:
    """One trajectory per followed instrument the patient answered, in three queries."""
    scores = scores_of(patient, FOLLOWED)
    sessions = session_starts(patient)
    window = baseline_window(enrolment)
    return [build(code, found, sessions, window) for code, found in scores.items() if found]


def trajectory_of(patient: Patient, instrument: str) -> Trajectory:
    """One instrument's trajectory for the patient's current enrolment."""
    enrolment = Enrolment.objects.filter(patient=patient).order_by("-enrolled_at", "-id").first()
    return build(
        instrument,
        scores_of(patient, [instrument])[instrument],
        session_starts(patient),
        baseline_window(enrolment),
    )
