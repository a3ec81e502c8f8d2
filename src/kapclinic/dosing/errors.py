"""Refusals of the dosing app; the codes are clinical/'s where a rule refused."""

from kapclinic.clinical.reasons import Refusal
from kapclinic.errors import DomainError
from kapclinic.said import said_all


class DosingError(DomainError):
    code = "dosing.refused"


def refuse(refusals: tuple[Refusal, ...] | list[Refusal]) -> None:
    """Raise one error with every refusal's sentence, in the reader's language, and code."""
    if refusals:
        raise DosingError(
            said_all(refusals),
            code=refusals[0].code,
            refusals=[r.code for r in refusals],
        )
