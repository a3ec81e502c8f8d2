"""What a recording service refuses, in sentences a person can act on."""

from kapclinic.errors import Conflict, DomainError


class RecordingError(DomainError):
    code = "recording_error"


class NoConsent(Conflict):
    code = "recording_no_consent"


class TamperedRecording(DomainError):
    """The stored bytes failed authentication: the recording is not played."""

    code = "recording_tampered"


class StorageUnavailable(DomainError):
    code = "recording_storage_unavailable"
