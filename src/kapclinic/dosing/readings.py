"""Storing one set of vital signs with the alerts the limits raise (clinical.vitals decides)."""

from datetime import datetime
from typing import Any

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.vitals import (
    InvalidVitals,
    Vital,
    VitalsAlert,
    VitalsLimits,
    VitalsReading,
    alerts,
)
from kapclinic.dosing.errors import DosingCode, DosingError
from kapclinic.dosing.models import DosingSession, VitalSign
from kapclinic.said import as_stored

VALUE_FIELDS = tuple(vital.value for vital in Vital)


def store_reading(
    *,
    by: User,
    session: DosingSession,
    taken_at: datetime,
    values: dict[str, int | None],
    limits: VitalsLimits,
    baseline: bool,
) -> tuple[VitalSign, tuple[VitalsAlert, ...]]:
    """Validate the reading, keep it with its alerts, audit it; the caller's transaction."""
    try:
        measured: dict[str, Any] = {k: values.get(k) for k in VALUE_FIELDS}
        reading = VitalsReading(taken_at=taken_at, **measured)
    except InvalidVitals as error:
        raise DosingError(str(error), code=DosingCode.VITALS_INVALID) from None
    found = alerts(reading, limits)
    vital = VitalSign.objects.create(
        session=session,
        baseline=baseline,
        taken_at=taken_at,
        recorded_by=by,
        alerts=[as_stored(a) for a in found],
        **{k: values.get(k) for k in VALUE_FIELDS},
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=session.patient,
        target=vital,
        detail={"baseline": baseline, "alerts": [a.code for a in found]},
    )
    return vital, found
