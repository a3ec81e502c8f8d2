"""The trajectory charts of a progress report or discharge summary: the outcomes app's charts
(severity bands, sessions marked, remission cutoff), one per followed instrument the patient
answered, PHQ-9 first.

`trajectories_of` loads every instrument in three queries (calling `trajectory_svg` once per
instrument would take three each) and `render_trajectory_svg` draws the same picture
`trajectory_svg` does. The caller audits the read (sharedcare.services).
"""

from dataclasses import dataclass

from django.conf import settings

from kapclinic.care.models import Enrolment
from kapclinic.outcomes.charts import render_trajectory_svg
from kapclinic.outcomes.trajectories import trajectories_of
from kapclinic.patients.models import Patient


@dataclass(frozen=True)
class TrajectoryChart:
    """One instrument's chart, as SVG markup."""

    instrument: str
    svg: str


def trajectory_charts(patient: Patient) -> list[TrajectoryChart]:
    """A chart per followed instrument the patient answered (PHQ-9, GAD-7, PCL-5 in that
    order); empty when none was answered. Four queries whatever the number of instruments."""
    enrolment = Enrolment.objects.filter(patient=patient).order_by("-enrolled_at", "-id").first()
    cutoffs = settings.OUTCOMES_REMISSION_BELOW
    return [
        TrajectoryChart(
            trajectory.instrument,
            render_trajectory_svg(trajectory, cutoff=cutoffs.get(trajectory.instrument)),
        )
        for trajectory in trajectories_of(patient, enrolment)
    ]
