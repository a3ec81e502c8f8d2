"""Configuration checks for ketamine sessions, with stable ids: a malformed limit or schedule
stops `kapclinic check` (and start-up) instead of giving a 500 at the first session."""

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from kapclinic.clinical.vitals import (
    MONITORING_LIMITS,
    PRE_DOSE_LIMITS,
    MonitoringSchedule,
    VitalsLimits,
)


def _limits_error(name: str, value: object, defaults: VitalsLimits, check_id: str) -> list[Error]:
    try:
        if not isinstance(value, dict):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        replace(defaults, **value)
    except (TypeError, ValueError) as error:
        return [
            Error(
                f"KAPCLINIC_{name} is not a valid set of vital-sign limits: {error}",
                hint='A JSON object of limit names and whole numbers, e.g. {"pulse_max": 110}.',
                id=check_id,
            )
        ]
    return []


@register()
def monitoring_limits_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    value = settings.DOSING_MONITORING_LIMITS
    return _limits_error(
        "DOSING_MONITORING_LIMITS", value, MONITORING_LIMITS, "kapclinic.dosing.E001"
    )


@register()
def pre_dose_limits_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    value = settings.DOSING_PRE_DOSE_LIMITS
    return _limits_error("DOSING_PRE_DOSE_LIMITS", value, PRE_DOSE_LIMITS, "kapclinic.dosing.E002")


@register()
def reading_minutes_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        MonitoringSchedule(minutes=tuple(settings.DOSING_READING_MINUTES))
    except (TypeError, ValueError) as error:
        return [
            Error(
                f"KAPCLINIC_DOSING_READING_MINUTES is not a monitoring schedule: {error}",
                hint="Give rising minutes after the dose, e.g. 0,40,120.",
                id="kapclinic.dosing.E003",
            )
        ]
    return []
