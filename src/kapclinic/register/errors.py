"""Refusals of the register, each with a stable code (the clinical.ledger codes reused)."""

from kapclinic.errors import DomainError


class RegisterError(DomainError):
    code = "register.invalid"
