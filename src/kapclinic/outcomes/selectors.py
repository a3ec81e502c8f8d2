"""Reads for outcome screens: the whole story of one patient on their chart. Callers open the
patient through access_patient; the chart's opening is its audited read."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe

from kapclinic.care.models import Enrolment
from kapclinic.dosing.models import AdverseEvent, DosingSession
from kapclinic.outcomes.charts import render_trajectory_svg
from kapclinic.outcomes.models import Measurement
from kapclinic.outcomes.trajectories import Trajectory, trajectories_of
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral
from kapclinic.screening.models import Screening


@dataclass(frozen=True)
class Charted:
    """A trajectory and its picture."""

    trajectory: Trajectory
    svg: SafeString


@dataclass(frozen=True)
class Story:
    """Referral, screening, program sessions with doses and events, outcomes: one page."""

    referrals: list[Referral]
    screenings: list[Screening]
    sessions: list[DosingSession]
    charts: list[Charted]
    measurements: list[Measurement]


def charted(patient: Patient, enrolment: Enrolment | None) -> list[Charted]:
    cutoffs = settings.OUTCOMES_REMISSION_BELOW
    return [
        Charted(
            trajectory,
            # render_trajectory_svg escapes every text it writes.
            mark_safe(render_trajectory_svg(trajectory, cutoff=cutoffs.get(trajectory.instrument))),  # noqa: S308
        )
        for trajectory in trajectories_of(patient, enrolment)
    ]


def patient_story(*, patient: Patient, enrolment: Enrolment | None) -> Story:
    """Everything on the chart's story, in a fixed number of queries whatever the number of
    sessions, events or scores."""
    referrals = (
        Referral.objects.filter(patient=patient)
        .select_related("referrer", "condition")
        .order_by("received_at", "id")
    )
    screenings = (
        Screening.objects.filter(patient=patient)
        .select_related("indication", "determination__signed_by")
        .order_by("created_at", "id")
    )
    sessions = (
        DosingSession.objects.filter(patient=patient)
        .select_related("attendance", "administration")
        .prefetch_related(
            Prefetch("adverse_events", queryset=AdverseEvent.objects.order_by("onset_at", "id"))
        )
        .order_by("attendance__starts_at", "id")
    )
    measurements = Measurement.objects.filter(patient=patient, enrolment=enrolment)
    return Story(
        referrals=list(referrals),
        screenings=list(screenings),
        sessions=list(sessions),
        charts=charted(patient, enrolment),
        measurements=list(measurements) if enrolment is not None else [],
    )
