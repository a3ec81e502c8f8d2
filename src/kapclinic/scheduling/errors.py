"""The codes of scheduling's refusals."""

from kapclinic.errors import ErrorCode


class SchedulingCode(ErrorCode):
    REFUSED = "booking.refused"
    OVERLAP = "booking.overlap"
    REASON_MISSING = "booking.reason_missing"
    PAST = "booking.past"
    NO_SLOT = "booking.no_slot"
    PLAN_EXISTS = "booking.plan_exists"
