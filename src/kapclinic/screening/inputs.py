"""What the screening form hands to the workflow: the facts, typed and frozen (`to_input()`)."""

from dataclasses import dataclass

from kapclinic.clinics.models import Condition
from kapclinic.screening.models import Screening


@dataclass(frozen=True)
class ScreeningInput:
    """The screening's facts as a nurse or physician records them (all of them, each time)."""

    indication: Condition
    pregnant: bool
    nursing: bool
    history: tuple[str, ...]
    psychiatric_history: str
    medications: str
    substance_use: str
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    failed_antidepressant_trials: int | None

    def write_to(self, screening: Screening) -> None:
        screening.indication = self.indication
        screening.pregnant = self.pregnant
        screening.nursing = self.nursing
        screening.history = list(self.history)
        screening.psychiatric_history = self.psychiatric_history
        screening.medications = self.medications
        screening.substance_use = self.substance_use
        screening.systolic = self.systolic
        screening.diastolic = self.diastolic
        screening.pulse = self.pulse
        screening.failed_antidepressant_trials = self.failed_antidepressant_trials
