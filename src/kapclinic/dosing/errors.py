"""Refusals of the dosing app; the codes are clinical/'s where a rule refused."""

from kapclinic.clinical.reasons import Refusal
from kapclinic.errors import DomainError


class DosingError(DomainError):
    code = "dosing.refused"


def refuse(refusals: tuple[Refusal, ...] | list[Refusal]) -> None:
    """Raise one error carrying every refusal's sentence and code; nothing when there is none."""
    if refusals:
        raise DosingError(
            " ".join(r.sentence for r in refusals),
            code=refusals[0].code,
            refusals=[r.code for r in refusals],
        )
