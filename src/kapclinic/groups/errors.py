"""The codes of the groups app's refusals."""

from kapclinic.errors import ErrorCode


class GroupCode(ErrorCode):
    INVALID = "groups.invalid"
    FULL = "groups.full"
