"""Vital signs around a dosing session: readings, limits, alerts and the monitoring schedule.

Limits are the acceptable range, both ends included: a value outside it raises an alert naming
the value, the limit and whether it is high or low. The defaults below are documented starting
points; the medical director sets the limits in force (settings), and the caller passes them in.

Sources named in the comments below:
- SPRAVATO (esketamine) US prescribing information 5.6, and the Spravato REMS patient monitoring
  form and HCP dosing page, as summarised in shared/reference/CLINICAL.md sections 3.2 and 3.3.
- Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017, chart 1: a single
  parameter scoring 3 calls for an urgent clinical review.
- American Heart Association: adult resting heart rate 60-100 bpm, above 100 is tachycardia.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from kapclinic.clinical.reasons import ParamValue, Phrase, english, gettext_noop, phrase


class InvalidVitals(ValueError):
    """A reading, limits or schedule that cannot describe a real measurement or plan."""


class Vital(StrEnum):
    SYSTOLIC = "systolic"
    DIASTOLIC = "diastolic"
    PULSE = "pulse"
    SPO2 = "spo2"
    RESPIRATORY_RATE = "respiratory_rate"


class Direction(StrEnum):
    HIGH = "high"
    LOW = "low"


_ = gettext_noop
# Each vital's name and unit, as words a screen translates.
VITAL_NAMES: Mapping[Vital, tuple[Phrase, str | Phrase]] = MappingProxyType(
    {
        Vital.SYSTOLIC: (Phrase(_("Systolic blood pressure")), "mmHg"),
        Vital.DIASTOLIC: (Phrase(_("Diastolic blood pressure")), "mmHg"),
        Vital.PULSE: (Phrase(_("Pulse")), Phrase(_("beats per minute"))),
        Vital.SPO2: (Phrase(_("Oxygen saturation (SpO2)")), "%"),
        Vital.RESPIRATORY_RATE: (Phrase(_("Respiratory rate")), Phrase(_("breaths per minute"))),
    }
)
ALERT_TEMPLATES = MappingProxyType(
    {
        Direction.HIGH: _(
            "%(name)s %(value)s %(unit)s is above the highest acceptable value, %(limit)s %(unit)s."
        ),
        Direction.LOW: _(
            "%(name)s %(value)s %(unit)s is below the lowest acceptable value, %(limit)s %(unit)s."
        ),
    }
)


def require_aware(moment: datetime, what: str) -> None:
    """Clinical times are timezone-aware (CONVENTIONS.md); a naive one is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidVitals(f"{what} must be timezone-aware, not {moment.isoformat()}.")


@dataclass(frozen=True, slots=True, kw_only=True)
class VitalsReading:
    """One set of vital signs; respiratory rate is optional because not every clinic counts it."""

    systolic: int
    diastolic: int
    pulse: int
    spo2: int
    taken_at: datetime
    respiratory_rate: int | None = None

    def __post_init__(self) -> None:
        require_aware(self.taken_at, "The time of a reading")
        for vital in Vital:
            value = self.value(vital)
            if value is not None and (isinstance(value, bool) or value <= 0):
                raise InvalidVitals(f"{VITAL_NAMES[vital][0]} {value!r} is not a measurement.")
        if self.spo2 > 100:
            raise InvalidVitals(f"Oxygen saturation {self.spo2}% is above 100%.")
        if self.diastolic >= self.systolic:
            raise InvalidVitals(
                f"Blood pressure {self.systolic}/{self.diastolic} mmHg: the diastolic value must "
                "be below the systolic one."
            )

    def value(self, vital: Vital) -> int | None:
        """The measured value of one vital sign, None when it was not measured."""
        value: int | None = getattr(self, Vital(vital).value)
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class VitalsLimits:
    """The acceptable range of each vital sign, ends included; None means no limit on that side.

    The defaults are the pre-dose limits (PRE_DOSE_LIMITS); MONITORING_LIMITS apply after dosing.
    """

    # SPRAVATO US PI 5.6 (elevated: "general guide >140/90") and CLINICAL.md 3.3 (hold at >=140/90).
    systolic_max: int | None = 139
    # NEWS2 (RCP 2017): systolic <=90 mmHg scores 3, an urgent review.
    systolic_min: int | None = 91
    # Same sources as systolic_max: hold at a diastolic of 90 mmHg or more.
    diastolic_max: int | None = 89
    # No published low diastolic limit for this setting: none by default.
    diastolic_min: int | None = None
    # AHA: a resting adult heart rate above 100 bpm is tachycardia.
    pulse_max: int | None = 100
    # Emergency cardiovascular care: bradycardia is clinically significant below 50 bpm.
    pulse_min: int | None = 50
    # NEWS2 has no high SpO2 score on air (scale 1): no upper limit.
    spo2_max: int | None = None
    # NEWS2 scale 1 target saturation 94-98%; 93% and below scores 2 or more.
    spo2_min: int | None = 94
    # NEWS2: respiratory rate 12-20 per minute scores 0.
    respiratory_rate_max: int | None = 20
    # Same source as respiratory_rate_max.
    respiratory_rate_min: int | None = 12

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidVitals(f"{item.name} must be a whole number or None, not {value!r}.")
        for vital, (low, high) in self.ranges().items():
            if low is not None and high is not None and low > high:
                raise InvalidVitals(f"The {vital.value} range {low}-{high} is empty.")

    def ranges(self) -> Mapping[Vital, tuple[int | None, int | None]]:
        """(lowest, highest) acceptable value of each vital sign."""
        return MappingProxyType(
            {v: (getattr(self, f"{v.value}_min"), getattr(self, f"{v.value}_max")) for v in Vital}
        )


PRE_DOSE_LIMITS = VitalsLimits()
# After dosing: alert on the values that call for a physician now, not on the expected rise.
MONITORING_LIMITS = VitalsLimits(
    # CLINICAL.md 3.3 suggested default (escalate at >=180/110; a default, not a standard);
    # APA consensus (Sanacora 2017): >180/100 during treatment, consider stopping [verify].
    systolic_max=179,
    diastolic_max=109,
    # NEWS2 (RCP 2017): pulse >=131 or <=40 per minute scores 3.
    pulse_max=130,
    pulse_min=41,
    # NEWS2 scale 1: SpO2 <=91% scores 3.
    spo2_min=92,
    # NEWS2: respiratory rate >=25 or <=8 per minute scores 3.
    respiratory_rate_max=24,
    respiratory_rate_min=9,
)


@dataclass(frozen=True, slots=True)
class VitalsAlert:
    """One value outside its limit: which value, the limit crossed, and in which direction."""

    vital: Vital
    value: int
    limit: int
    direction: Direction

    @property
    def code(self) -> str:
        return f"vitals.{self.vital.value}.{self.direction.value}"

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        name, unit = VITAL_NAMES[self.vital]
        template = ALERT_TEMPLATES[self.direction]
        return (phrase(template, name=name, value=self.value, unit=unit, limit=self.limit),)

    @property
    def sentence(self) -> str:
        return english(self.phrases)

    @property
    def params(self) -> Mapping[str, ParamValue]:
        return MappingProxyType(
            {
                "vital": self.vital.value,
                "value": self.value,
                "limit": self.limit,
                "direction": self.direction.value,
            }
        )


def alerts(reading: VitalsReading, limits: VitalsLimits) -> tuple[VitalsAlert, ...]:
    """Every value of the reading outside its limit; a value not measured raises none."""
    found = []
    for vital, (low, high) in limits.ranges().items():
        value = reading.value(vital)
        if value is None:
            continue
        if high is not None and value > high:
            found.append(VitalsAlert(vital, value, high, Direction.HIGH))
        if low is not None and value < low:
            found.append(VitalsAlert(vital, value, low, Direction.LOW))
    return tuple(found)


def within_limits(reading: VitalsReading, limits: VitalsLimits) -> bool:
    return not alerts(reading, limits)


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitoringSchedule:
    """Readings due at these minutes after the dose; a reading may be up to `early_minutes` early.

    Default 0/40/120: Spravato REMS monitoring form (BP before administration, 40 min after, and
    before completion) and US PI 5.6 (BP peaks about 40 min after dosing); 120 is the 2-hour
    minimum observation (CLINICAL.md 3.2). Reading 0 is the one at dosing.
    """

    minutes: tuple[int, ...] = (0, 40, 120)
    # Not a published figure: a clinic's tolerance for a reading taken just before it is due.
    early_minutes: int = 5

    def __post_init__(self) -> None:
        minutes = tuple(self.minutes)
        if not minutes or any(m < 0 for m in minutes) or list(minutes) != sorted(set(minutes)):
            raise InvalidVitals(f"Monitoring minutes {minutes} must rise from 0 or more.")
        if self.early_minutes < 0:
            raise InvalidVitals(f"early_minutes cannot be {self.early_minutes}.")
        object.__setattr__(self, "minutes", minutes)


@dataclass(frozen=True, slots=True)
class ReadingDue:
    """The next scheduled reading: its minute after the dose, when, and whether it is late."""

    minute: int
    due_at: datetime
    overdue: bool


def minutes_since_dose(dosed_at: datetime, now: datetime) -> int:
    """Whole minutes elapsed since the dose (rounded down); refuses a `now` before the dose."""
    require_aware(dosed_at, "The dosing time")
    require_aware(now, "The current time")
    if now < dosed_at:
        raise InvalidVitals(f"{now.isoformat()} is before the dose at {dosed_at.isoformat()}.")
    return int((now - dosed_at).total_seconds() // 60)


def _slots(
    dosed_at: datetime, schedule: MonitoringSchedule
) -> list[tuple[int, datetime, datetime | None]]:
    """(minute, opens, closes) of each scheduled reading; the last slot never closes.

    A slot opens `early_minutes` before its minute and closes when the next slot opens.
    """
    early = timedelta(minutes=schedule.early_minutes)
    opening = [dosed_at + timedelta(minutes=m) - early for m in schedule.minutes]
    closing: list[datetime | None] = [*opening[1:], None]
    return list(zip(schedule.minutes, opening, closing, strict=True))


def _taken_in(taken: list[datetime], opens: datetime, closes: datetime | None) -> bool:
    return any(opens <= t and (closes is None or t < closes) for t in taken)


def next_reading_due(
    dosed_at: datetime,
    readings: Iterable[VitalsReading],
    now: datetime,
    schedule: MonitoringSchedule | None = None,
) -> ReadingDue | None:
    """The earliest scheduled reading not yet taken whose slot is still open, or None when done.

    A slot that closed without a reading was missed (see `missed_readings`) and is not asked
    for again: the team takes the next one.
    """
    schedule = schedule or MonitoringSchedule()
    minutes_since_dose(dosed_at, now)
    taken = [reading.taken_at for reading in readings]
    for minute, opens, closes in _slots(dosed_at, schedule):
        if _taken_in(taken, opens, closes) or (closes is not None and now >= closes):
            continue
        due_at = dosed_at + timedelta(minutes=minute)
        return ReadingDue(minute, due_at, overdue=now > due_at)
    return None


def missed_readings(
    dosed_at: datetime,
    readings: Iterable[VitalsReading],
    now: datetime,
    schedule: MonitoringSchedule | None = None,
    *,
    leaving: bool = False,
) -> tuple[int, ...]:
    """The minutes of scheduled readings whose slot closed before `now` without a reading;
    `leaving` (discharge) counts the slot still open too: leaving now, its reading would never
    be taken (the last, 120 by default, is the one "before completion", CLINICAL.md 3.2)."""
    schedule = schedule or MonitoringSchedule()
    minutes_since_dose(dosed_at, now)
    taken = [reading.taken_at for reading in readings]
    return tuple(
        minute
        for minute, opens, closes in _slots(dosed_at, schedule)
        if (opens <= now if leaving else closes is not None and now >= closes)
        and not _taken_in(taken, opens, closes)
    )


def readings_missing_at_discharge(
    dosed_at: datetime,
    readings: Iterable[VitalsReading],
    now: datetime,
    schedule: MonitoringSchedule | None = None,
) -> tuple[int, ...]:
    """The minutes of scheduled readings whose slot has opened by `now` without a reading."""
    return missed_readings(dosed_at, readings, now, schedule, leaving=True)
