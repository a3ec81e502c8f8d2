"""The codes of shared care's refusals."""

from kapclinic.errors import ErrorCode


class SharedCareCode(ErrorCode):
    INVALID = "sharedcare.invalid"
    NO_CONSENT = "sharedcare.no_consent"
    FAX = "sharedcare.fax"
