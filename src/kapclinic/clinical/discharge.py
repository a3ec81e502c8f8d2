"""Whether a patient may leave after dosing: every criterion reported, met or not.

Sources: shared/reference/CLINICAL.md 3.2. The Spravato REMS and HCP page require monitoring for
at least 2 hours after the dose, until the provider judges the patient safe to leave, with vital
signs in an acceptable range before the session ends; a clinic SOP escorts the patient to
transport arranged in advance.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kapclinic.clinical.reasons import Check, Phrase, fact_check, gettext_noop, phrase
from kapclinic.clinical.vitals import (
    PRE_DOSE_LIMITS,
    VitalsLimits,
    VitalsReading,
    alerts,
    minutes_since_dose,
    require_aware,
)

_ = gettext_noop


class InvalidDischargeConfig(ValueError):
    """Discharge configuration a medical director could not have meant."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DischargeConfig:
    """Medical-director configuration the caller reads from settings."""

    # Spravato REMS / HCP page (CLINICAL.md 3.2): monitored for at least 2 hours after the dose.
    minimum_observation: timedelta = timedelta(hours=2)
    # Spravato REMS monitoring form (CLINICAL.md 3.2): vitals in the acceptable pre-dose range
    # before administration and again before the session ends.
    limits: VitalsLimits = PRE_DOSE_LIMITS

    def __post_init__(self) -> None:
        if self.minimum_observation <= timedelta(0):
            raise InvalidDischargeConfig(
                f"The minimum observation time must be positive, not {self.minimum_observation}."
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class DischargeFacts:
    """What the team observes when the patient asks to leave."""

    last_dose_at: datetime
    now: datetime
    readings: tuple[VitalsReading, ...]
    alert_and_oriented: bool
    walking_steadily: bool
    escort_present: bool

    def __post_init__(self) -> None:
        require_aware(self.last_dose_at, "The time of the last dose")
        require_aware(self.now, "The current time")
        object.__setattr__(self, "readings", tuple(self.readings))


@dataclass(frozen=True, slots=True)
class DischargeReadiness:
    """Every criterion with met or unmet; ready only when all are met."""

    criteria: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        return bool(self.criteria) and all(check.met for check in self.criteria)

    @property
    def unmet(self) -> tuple[Check, ...]:
        return tuple(check for check in self.criteria if not check.met)


def _observation_time(facts: DischargeFacts, config: DischargeConfig) -> Check:
    code = "discharge.observation_time"
    elapsed = minutes_since_dose(facts.last_dose_at, facts.now)
    required = int(config.minimum_observation.total_seconds() // 60)
    params = {"minutes_observed": elapsed, "minutes_required": required}
    if elapsed >= required:
        said = phrase(_("Observed for %(elapsed)s minutes since the last dose."), elapsed=elapsed)
        return Check(code, True, said, params)
    said = phrase(
        _(
            "Observed for %(elapsed)s minutes since the last dose; "
            "at least %(required)s are required."
        ),
        elapsed=elapsed,
        required=required,
    )
    return Check(code, False, said, params)


def latest_readings(
    readings: Iterable[VitalsReading], moment: datetime | None = None
) -> tuple[VitalsReading, ...]:
    """Every reading taken at the latest time (from `moment` on), in the order recorded.

    Readings are timed to the minute, so two can share the latest time: all of them are the
    latest, and none may hide another's alert (the last recorded is the last of the tuple).
    """
    after = [r for r in readings if moment is None or r.taken_at >= moment]
    if not after:
        return ()
    last = max(reading.taken_at for reading in after)
    return tuple(reading for reading in after if reading.taken_at == last)


def _vitals_within_limits(facts: DischargeFacts, config: DischargeConfig) -> Check:
    code = "discharge.vitals"
    latest = latest_readings(facts.readings, facts.last_dose_at)
    if not latest:
        return Check(code, False, _("No vital signs have been taken since the last dose."))
    found = tuple(alert for reading in latest for alert in alerts(reading, config.limits))
    taken = {"taken_at": latest[-1].taken_at.isoformat()}
    if not found:
        return Check(code, True, _("The latest vital signs are back within the limits."), taken)
    return Check(
        code,
        False,
        (
            Phrase(_("The latest vital signs are not back within the limits:")),
            *(p for alert in found for p in alert.phrases),
        ),
        taken | {"alerts": ",".join(alert.code for alert in found)},
    )


def discharge_readiness(
    facts: DischargeFacts, config: DischargeConfig | None = None
) -> DischargeReadiness:
    """Every discharge criterion, met or not, in the order the team checks them."""
    config = config or DischargeConfig()
    return DischargeReadiness(
        (
            _observation_time(facts, config),
            _vitals_within_limits(facts, config),
            fact_check(
                "discharge.alert_oriented",
                facts.alert_and_oriented,
                _("The patient is alert and oriented."),
                _("The patient is not yet alert and oriented."),
            ),
            fact_check(
                "discharge.walking",
                facts.walking_steadily,
                _("The patient walks steadily."),
                _("The patient does not yet walk steadily."),
            ),
            fact_check(
                "discharge.escort",
                facts.escort_present,
                _("An escort is present to take the patient home."),
                _("No escort is present to take the patient home."),
            ),
        )
    )


DISCHARGE_CODES = frozenset(
    {
        "discharge.observation_time",
        "discharge.vitals",
        "discharge.alert_oriented",
        "discharge.walking",
        "discharge.escort",
    }
)
