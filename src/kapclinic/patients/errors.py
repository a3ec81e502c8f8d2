"""Why a patient record could not be registered as asked."""

from typing import Any

from kapclinic.errors import Conflict, ErrorCode


class PatientCode(ErrorCode):
    DUPLICATE = "patient.duplicate"
    CARE_TEAM_REASON_MISSING = "care_team.reason_missing"
    CARE_TEAM_NOT_A_CLINICIAN_HERE = "care_team.not_a_clinician_here"


class DuplicatePatient(Conflict):
    """A record probably exists already; `existing` lists the candidates to offer instead."""

    code = PatientCode.DUPLICATE

    def __init__(self, message: str, *, existing: list[Any], certain: bool) -> None:
        super().__init__(message)
        self.existing = existing
        # Same health number: certainly the same person, no override.
        self.certain = certain
