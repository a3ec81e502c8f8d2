"""Refusals of the dosing app. A refusal by a clinical/ rule has the code REFUSED, and the
clinical rules' own codes in its `refusals` param."""

from kapclinic.clinical.reasons import Refusal
from kapclinic.errors import DomainError, ErrorCode
from kapclinic.said import said_all


class DosingCode(ErrorCode):
    REFUSED = "dosing.refused"
    STATE = "state"
    NOT_DOSING = "not_dosing"
    NOT_BOOKED = "not_booked"
    ALREADY_CHECKED_IN = "already_checked_in"
    TIME_FUTURE = "time.future"
    TIME_TOO_LATE = "time.too_late"
    TIME_BEFORE_SESSION = "time.before_session"
    DOSE_TOO_SOON = "dose.too_soon"
    LOT_WRONG_FORM = "lot.wrong_form"
    VITALS_INVALID = "vitals.invalid"
    ADVERSE_EVENT_INVALID = "adverse_event.invalid"
    ORDER_INVALID = "order.invalid"
    ORDER_NO_ENROLMENT = "order.no_enrolment"
    ORDER_REASON_MISSING = "order.reason_missing"
    MISSED_READING = "discharge.missed_reading"


class DosingError(DomainError):
    code = DosingCode.REFUSED


def refuse(refusals: tuple[Refusal, ...] | list[Refusal]) -> None:
    """Raise one error with every refusal's sentence, in the reader's language, and the
    clinical codes of them all."""
    if refusals:
        raise DosingError(said_all(refusals), refusals=[r.code for r in refusals])
