"""The codes of the accounts app's refusals."""

from kapclinic.errors import ErrorCode


class AccountCode(ErrorCode):
    CREDENTIAL_INVALID = "credential.invalid"
    CREDENTIAL_LAPSED = "credential.lapsed"
