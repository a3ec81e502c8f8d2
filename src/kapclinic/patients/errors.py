"""Why a patient record could not be registered as asked."""

from typing import Any

from kapclinic.errors import Conflict


class DuplicatePatient(Conflict):
    """A record probably exists already; `existing` lists the candidates to offer instead."""

    code = "patient.duplicate"

    def __init__(self, message: str, *, existing: list[Any], certain: bool) -> None:
        super().__init__(message)
        self.existing = existing
        # Same health number: certainly the same person, no override.
        self.certain = certain
