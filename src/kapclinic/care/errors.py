"""The codes of care's refusals (a journey move refused by clinical/ keeps the clinical codes
in the error's `refusals`)."""

from kapclinic.errors import ErrorCode


class CareCode(ErrorCode):
    INVALID = "care.invalid"
    MATERIALS_UNREAD = "care.materials_unread"
    CYCLE_NOT_FINISHED = "cycle.not_finished"
    CYCLE_SCREENING_NEEDED = "cycle.screening_needed"
