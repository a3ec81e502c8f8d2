"""What a recording service refuses, in sentences a person can act on."""

from kapclinic.errors import Conflict, DomainError, ErrorCode


class RecordingCode(ErrorCode):
    ERROR = "recording_error"
    NO_CONSENT = "recording_no_consent"
    TAMPERED = "recording_tampered"
    STORAGE_UNAVAILABLE = "recording_storage_unavailable"


class RecordingError(DomainError):
    code = RecordingCode.ERROR


class NoConsent(Conflict):
    code = RecordingCode.NO_CONSENT


class TamperedRecording(DomainError):
    """The stored bytes failed authentication: the recording is not played."""

    code = RecordingCode.TAMPERED


class StorageUnavailable(DomainError):
    code = RecordingCode.STORAGE_UNAVAILABLE
