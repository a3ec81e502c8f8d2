"""The checks before a dose: every rule runs and every check is reported, met or not.

The rules take the shape of eligibility.py's: small classes with their options in the
constructor, a stable code, and `evaluate(facts) -> Check`. Clearing a session to dose needs
every check met (dosing.py). Every fact is stated by the caller (no defaults), so a fact the
dosing app forgot to gather fails loudly instead of passing quietly.

Sources: shared/reference/CLINICAL.md 3.2 (Spravato HCP page: no driving until the next day,
transport arranged in advance; a clinic SOP: fasting before dosing, confirmed ride home;
REMS: BP before administration) and 3.4 (SOR/2025-242 s.131(1): a written order before any
administration); SPRAVATO US PI 8.1 (pregnancy).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kapclinic.clinical.orders import MedicationOrder, order_problems
from kapclinic.clinical.reasons import Check, fact_check, gettext_noop
from kapclinic.clinical.vitals import PRE_DOSE_LIMITS, VitalsLimits, VitalsReading, alerts

_ = gettext_noop


class PregnancyAttestation(StrEnum):
    NOT_ATTESTED = "not_attested"
    NOT_PREGNANT = "not_pregnant"
    PREGNANT = "pregnant"


@dataclass(frozen=True, slots=True, kw_only=True)
class PreDoseFacts:
    """What the record says just before the dose; the dosing app's selector gathers it."""

    today: date
    session_route: str
    treatment_consent_valid: bool
    recording_consent: bool
    alternative_safeguard_documented: bool
    fasted_as_instructed: bool
    ride_home_arranged: bool
    pregnancy_relevant: bool
    pregnancy_attestation: PregnancyAttestation
    baseline: VitalsReading | None
    suicidality_flag_unreviewed: bool
    order: MedicationOrder | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PreDoseConfig:
    """Medical-director configuration the caller reads from settings."""

    max_dose_mg: Decimal | int
    limits: VitalsLimits = PRE_DOSE_LIMITS


class PreDoseRule(ABC):
    """One pre-dose check: a stable `code`, and evaluate() saying whether it is met and why."""

    code: str

    @abstractmethod
    def evaluate(self, facts: PreDoseFacts) -> Check:
        """The check, met or not, with its sentence."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class TreatmentConsent(PreDoseRule):
    code = "pre_dose.treatment_consent"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        return fact_check(
            self.code,
            facts.treatment_consent_valid,
            _("Treatment consent is valid."),
            _("There is no valid treatment consent."),
        )


class RecordingSafeguard(PreDoseRule):
    """Consent to record the session, or the documented alternative safeguard instead."""

    code = "pre_dose.recording_safeguard"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        if facts.recording_consent:
            return Check(self.code, True, _("The patient consents to the session being recorded."))
        return fact_check(
            self.code,
            facts.alternative_safeguard_documented,
            _("The documented alternative safeguard is in place instead of recording."),
            _(
                "There is neither consent to record the session nor a documented alternative "
                "safeguard."
            ),
        )


class Fasting(PreDoseRule):
    """CLINICAL.md 3.2 (clinic SOP): no food for 2 h and no liquids for 30 min before dosing."""

    code = "pre_dose.fasting"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        return fact_check(
            self.code,
            facts.fasted_as_instructed,
            _("The patient fasted as instructed."),
            _("The patient has not fasted as instructed before dosing."),
        )


class RideHome(PreDoseRule):
    """CLINICAL.md 3.2 (Spravato HCP): no driving until the next day; transport arranged."""

    code = "pre_dose.ride_home"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        return fact_check(
            self.code,
            facts.ride_home_arranged,
            _("A ride home is arranged; the patient will not drive today."),
            _("No ride home is arranged, and the patient must not drive until the next day."),
        )


class PregnancyStatus(PreDoseRule):
    """Where pregnancy is possible, a status attested today; SPRAVATO US PI 8.1 (fetal harm)."""

    code = "pre_dose.pregnancy_status"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        if not facts.pregnancy_relevant:
            return Check(self.code, True, _("Pregnancy status does not apply to this patient."))
        attestation = PregnancyAttestation(facts.pregnancy_attestation)
        if attestation is PregnancyAttestation.NOT_PREGNANT:
            return Check(self.code, True, _("The patient attests not being pregnant."))
        if attestation is PregnancyAttestation.PREGNANT:
            return Check(
                self.code,
                False,
                _("The patient attests being pregnant: ketamine may harm the baby."),
                {"attestation": attestation.value},
            )
        return Check(
            self.code,
            False,
            _("Pregnancy status is not attested."),
            {"attestation": attestation.value},
        )


class BaselineVitals(PreDoseRule):
    """A baseline reading within the pre-dose limits (CLINICAL.md 3.2: BP before dosing)."""

    code = "pre_dose.baseline_vitals"

    def __init__(self, *, limits: VitalsLimits = PRE_DOSE_LIMITS) -> None:
        self.limits = limits

    def evaluate(self, facts: PreDoseFacts) -> Check:
        if facts.baseline is None:
            return Check(self.code, False, _("No baseline vital signs are recorded before dosing."))
        found = alerts(facts.baseline, self.limits)
        if not found:
            return Check(self.code, True, _("Baseline vital signs are within the limits."))
        return Check(
            self.code,
            False,
            tuple(p for alert in found for p in alert.phrases),
            {"alerts": ",".join(alert.code for alert in found)},
        )


class SuicidalityReview(PreDoseRule):
    """An open suicidality flag must be reviewed by a clinician before dosing."""

    code = "pre_dose.suicidality_review"

    def evaluate(self, facts: PreDoseFacts) -> Check:
        return fact_check(
            self.code,
            not facts.suicidality_flag_unreviewed,
            _("No suicidality flag is waiting for review."),
            _("An open suicidality flag has not been reviewed by a clinician."),
        )


class ValidOrder(PreDoseRule):
    """A signed, unexpired order for this route within the dose limit (SOR/2025-242 s.131(1))."""

    code = "pre_dose.order"

    def __init__(self, *, max_dose_mg: Decimal | int) -> None:
        self.max_dose_mg = max_dose_mg

    def evaluate(self, facts: PreDoseFacts) -> Check:
        problems = order_problems(
            facts.order,
            route=facts.session_route,
            max_dose_mg=self.max_dose_mg,
            today=facts.today,
        )
        if not problems:
            return Check(
                self.code, True, _("The medication order is signed, in date and for this route.")
            )
        return Check(
            self.code,
            False,
            tuple(p for problem in problems for p in problem.phrases),
            {"problems": ",".join(problem.code for problem in problems)},
        )


def pre_dose_rules(config: PreDoseConfig) -> tuple[PreDoseRule, ...]:
    """Every pre-dose rule, with the options from configuration, in checklist order."""
    return (
        TreatmentConsent(),
        RecordingSafeguard(),
        Fasting(),
        RideHome(),
        PregnancyStatus(),
        BaselineVitals(limits=config.limits),
        SuicidalityReview(),
        ValidOrder(max_dose_mg=config.max_dose_mg),
    )


# The checks clearing to dose needs, whatever the caller passes (dosing.check_transition).
PRE_DOSE_CODES = frozenset(
    rule.code for rule in pre_dose_rules(PreDoseConfig(max_dose_mg=Decimal(1)))
)


def pre_dose_checks(facts: PreDoseFacts, config: PreDoseConfig) -> tuple[Check, ...]:
    """Run every rule and keep every check, met or not, for the checklist screen."""
    return tuple(rule.evaluate(facts) for rule in pre_dose_rules(config))
