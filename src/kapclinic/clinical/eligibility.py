"""Eligibility for ketamine-assisted psychotherapy: configurable rules, every finding explained.

The rules take the shape of Django's password validators (contrib/auth/password_validation.py):
small classes with their options in the constructor, a stable code, and a method that evaluates
and explains. `assess()` runs every rule and reports every finding, so the physician signs with
the whole picture in view. Which rules run, and their options, come from configuration
(`build_rules`), the way AUTH_PASSWORD_VALIDATORS selects validators; `default_config()` is the
documented default a medical director starts from.

Sources named in the comments below:
- SPRAVATO (esketamine) US prescribing information, Janssen 2019 (sections 1, 4, 5.6, 8, 12.3, 17);
  Health Canada product monograph, Janssen, approved 2020-05-19 (not yet read for this module).
- Spravato EU SmPC, sections 4.2 (hepatic impairment) and 4.4 (blood pressure guide, by age).
- Numinus, "Am I eligible?" (https://numinus.com/?faq=am-i-eligible), a Canadian KAP provider.
- Psyon, KAT exclusion criteria (https://www.psyon.cz/en/faq/exclusion-criteria/).
- Carolina Center, KAP exclusionary criteria (https://www.carolinascenter.com/kap-exclusions).
- shared/reference/CLINICAL.md sections 3.2 and 3.3 (blood pressure hold default).
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, cast

from kapclinic.clinical.ages import age_on
from kapclinic.clinical.reasons import Phrase, Said, english, gettext_noop, phrase, phrases_of

_ = gettext_noop


class Province(StrEnum):
    """Jurisdictions the clinic practises in."""

    QC = "QC"
    BC = "BC"


class Indication(StrEnum):
    """The condition the patient is referred for."""

    DEPRESSION = "depression"
    TREATMENT_RESISTANT_DEPRESSION = "treatment_resistant_depression"
    ANXIETY = "anxiety"
    PTSD = "ptsd"
    ADDICTION = "addiction"
    EATING_DISORDER = "eating_disorder"
    CHRONIC_PAIN = "chronic_pain"


class Condition(StrEnum):
    """Codes of the medical history that bear on eligibility."""

    PSYCHOSIS = "psychosis"
    MANIA = "mania"
    UNTREATED_HYPERTENSION = "untreated_hypertension"
    CARDIOVASCULAR_DISEASE = "cardiovascular_disease"
    CEREBROVASCULAR_DISEASE = "cerebrovascular_disease"
    SEIZURE_DISORDER = "seizure_disorder"
    SEVERE_LIVER_DISEASE = "severe_liver_disease"
    UNTREATED_THYROID_DISEASE = "untreated_thyroid_disease"


class Severity(StrEnum):
    """Absolute rules treatment out, relative needs a physician's review, info changes nothing."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    INFO = "info"


class Outcome(StrEnum):
    """The determination a physician reviews and signs."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_REVIEW = "needs_review"


class Availability(StrEnum):
    """Whether the clinic runs a program for an indication; absent from the map: not offered."""

    OFFERED = "offered"
    UNDER_DEVELOPMENT = "under_development"


# Civil Code of Quebec art. 153 (majority at 18); BC Age of Majority Act, RSBC 1996 c 7, s 1 (19).
DEFAULT_MINIMUM_AGES: Mapping[Province, int] = MappingProxyType({Province.QC: 18, Province.BC: 19})
# Clinic decision (eligibility issue): eating-disorder and chronic-pain programs are not ready yet.
DEFAULT_AVAILABILITY: Mapping[Indication, Availability] = MappingProxyType(
    dict.fromkeys(Indication, Availability.OFFERED)
    | {
        Indication.EATING_DISORDER: Availability.UNDER_DEVELOPMENT,
        Indication.CHRONIC_PAIN: Availability.UNDER_DEVELOPMENT,
    }
)
DEFAULT_HISTORY_SEVERITIES = MappingProxyType(
    {
        # Numinus eligibility FAQ ("history of psychosis"); Psyon KAT exclusion criteria.
        Condition.PSYCHOSIS: Severity.ABSOLUTE,
        # Numinus eligibility FAQ ("mania"); Carolina Center KAP exclusions (manic, mixed episode).
        Condition.MANIA: Severity.ABSOLUTE,
        # SPRAVATO US PI 5.6 (blood pressure rises after dosing); Numinus FAQ (hypertension).
        Condition.UNTREATED_HYPERTENSION: Severity.ABSOLUTE,
        # SPRAVATO US PI 4 (aneurysmal vascular disease, AVM); Numinus FAQ ("heart disease").
        Condition.CARDIOVASCULAR_DISEASE: Severity.ABSOLUTE,
        # SPRAVATO US PI 4 (history of intracerebral haemorrhage); Numinus FAQ ("stroke").
        Condition.CEREBROVASCULAR_DISEASE: Severity.ABSOLUTE,
        # Numinus eligibility FAQ ("seizure").
        Condition.SEIZURE_DISORDER: Severity.ABSOLUTE,
        # Spravato EU SmPC 4.2 (severe hepatic impairment: not studied, not recommended); Numinus.
        Condition.SEVERE_LIVER_DISEASE: Severity.ABSOLUTE,
        # Numinus FAQ (untreated thyroid disorders "may require management"): review, not refusal.
        Condition.UNTREATED_THYROID_DISEASE: Severity.RELATIVE,
    }
)
# SPRAVATO US PI 5.6 and EU SmPC: elevated "as a general guide >140/90"; CLINICAL.md 3.3: hold >=.
DEFAULT_SYSTOLIC_LIMIT = 140
# Same sources as the systolic limit: 90 mmHg diastolic.
DEFAULT_DIASTOLIC_LIMIT = 90
# SPRAVATO US PI 1 (TRD: inadequate response to at least 2 antidepressants, adequate dose/duration).
DEFAULT_MINIMUM_FAILED_TRIALS = 2

PROVINCE_NAMES = MappingProxyType(
    {Province.QC: Phrase(_("Quebec")), Province.BC: Phrase(_("British Columbia"))}
)
INDICATION_NAMES = MappingProxyType(
    {
        Indication.DEPRESSION: Phrase(_("depression")),
        Indication.TREATMENT_RESISTANT_DEPRESSION: Phrase(_("treatment-resistant depression")),
        Indication.ANXIETY: Phrase(_("anxiety")),
        Indication.PTSD: Phrase(_("post-traumatic stress disorder (PTSD)")),
        Indication.ADDICTION: Phrase(_("addiction")),
        Indication.EATING_DISORDER: Phrase(_("eating disorders")),
        Indication.CHRONIC_PAIN: Phrase(_("chronic pain")),
    }
)
# Plain words for each condition. Why, where a source says so: SPRAVATO US PI 5.6 and EU SmPC 4.4
# (blood pressure peaks about 40 min after dosing, lasts 1-2 h); PI 12.3 (hepatic metabolism).
CONDITION_SENTENCES = MappingProxyType(
    {
        Condition.PSYCHOSIS: _("The medical history includes psychosis."),
        Condition.MANIA: _("The medical history includes mania."),
        Condition.UNTREATED_HYPERTENSION: _(
            "The medical history includes untreated high blood pressure, and ketamine raises "
            "blood pressure for an hour or two after each dose."
        ),
        Condition.CARDIOVASCULAR_DISEASE: _(
            "The medical history includes heart or blood vessel disease, and ketamine raises "
            "blood pressure for an hour or two after each dose."
        ),
        Condition.CEREBROVASCULAR_DISEASE: _(
            "The medical history includes a stroke or another disease of the brain's blood "
            "vessels, and ketamine raises blood pressure after each dose."
        ),
        Condition.SEIZURE_DISORDER: _("The medical history includes a seizure disorder."),
        Condition.SEVERE_LIVER_DISEASE: _(
            "The medical history includes severe liver disease, and the liver is what clears "
            "ketamine from the body."
        ),
        Condition.UNTREATED_THYROID_DISEASE: _(
            "The medical history includes untreated thyroid disease."
        ),
    }
)
# What a finding of each severity means, said after its sentence; info findings add nothing.
CONSEQUENCES = MappingProxyType(
    {
        Severity.ABSOLUTE: (Phrase(_("This rules out ketamine-assisted psychotherapy for now.")),),
        Severity.RELATIVE: (
            Phrase(_("A physician must review this before treatment can go ahead.")),
        ),
        Severity.INFO: (),
    }
)

ParamValue = str | int | None


class InvalidCandidate(ValueError):
    """The facts cannot describe a real candidate: an unknown code or an impossible value."""


class InvalidRuleConfig(ValueError):
    """The eligibility configuration names an unknown rule or gives an option it cannot use."""


def _allowed(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)


def _member[E: StrEnum](enum: type[E], value: object, what: str, error: type[ValueError]) -> E:
    """The enum member for `value`, or an error naming the bad value and the allowed ones."""
    try:
        # Lookup by value accepts any object and raises ValueError for a stranger.
        return enum(cast(str, value))
    except ValueError:
        raise error(f"Unknown {what} {value!r}; allowed: {_allowed(enum)}.") from None


@dataclass(frozen=True, slots=True)
class Candidate:
    """The facts screening gathered about one person, as they stood on `assessed_on`.

    Codes are checked and stored as enum members (which are also plain strings); a blood
    pressure is a pair, so systolic and diastolic are both given or both None.
    """

    date_of_birth: date
    assessed_on: date
    province: str
    indication: str
    pregnant: bool = False
    nursing: bool = False
    history: AbstractSet[str] = frozenset()
    systolic: int | None = None
    diastolic: int | None = None
    failed_antidepressant_trials: int | None = None

    def __post_init__(self) -> None:
        err = InvalidCandidate
        history = frozenset(_member(Condition, c, "history code", err) for c in self.history)
        object.__setattr__(self, "province", _member(Province, self.province, "province", err))
        object.__setattr__(
            self, "indication", _member(Indication, self.indication, "indication", err)
        )
        object.__setattr__(self, "history", history)
        self._check_values()

    def _check_values(self) -> None:
        if self.date_of_birth > self.assessed_on:
            raise InvalidCandidate(
                f"Date of birth {self.date_of_birth} is after the assessment date "
                f"{self.assessed_on}."
            )
        pressures = (self.systolic, self.diastolic)
        if None in pressures and pressures != (None, None):
            raise InvalidCandidate("Give both systolic and diastolic blood pressure, or neither.")
        if any(pressure is not None and pressure <= 0 for pressure in pressures):
            raise InvalidCandidate(
                f"Blood pressure {self.systolic}/{self.diastolic} mmHg is not a measurement."
            )
        if self.failed_antidepressant_trials is not None and self.failed_antidepressant_trials < 0:
            raise InvalidCandidate(
                f"Failed antidepressant trials cannot be {self.failed_antidepressant_trials}."
            )


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """One reason a rule gives: what it says (phrases a screen translates, clinical.reasons)
    and the values it used."""

    code: str
    severity: Severity
    phrases: tuple[Phrase, ...]
    params: Mapping[str, ParamValue] = field(hash=False)

    def __init__(
        self,
        code: str,
        severity: Severity,
        sentence: Said,
        params: Mapping[str, ParamValue] | None = None,
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "phrases", phrases_of(sentence))
        object.__setattr__(self, "params", MappingProxyType(dict(params or {})))

    @property
    def sentence(self) -> str:
        """In English; kapclinic.said gives it in the reader's language."""
        return english(self.phrases)


def outcome_for(findings: Iterable[Finding]) -> Outcome:
    """Any absolute finding rules out, else any relative one needs review; info never counts."""
    severities = {finding.severity for finding in findings}
    if Severity.ABSOLUTE in severities:
        return Outcome.INELIGIBLE
    if Severity.RELATIVE in severities:
        return Outcome.NEEDS_REVIEW
    return Outcome.ELIGIBLE


@dataclass(frozen=True, slots=True)
class Assessment:
    """The outcome and every finding behind it, in the order the rules ran."""

    outcome: Outcome
    findings: tuple[Finding, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, for quick checks and audit rows."""
        return tuple(finding.code for finding in self.findings)


class Rule(ABC):
    """One configurable check: options in the constructor, a stable `code`, evaluate, describe.

    Every finding a rule makes has a code starting with the rule's code.
    """

    code: str

    def __init__(self, *, severity: Severity | str) -> None:
        self.severity = _member(Severity, severity, "severity", InvalidRuleConfig)

    @abstractmethod
    def evaluate(self, candidate: Candidate) -> Finding | None:
        """The finding this rule makes about the candidate, or None when it has nothing to say."""

    @abstractmethod
    def describe(self) -> str:
        """What the rule checks with its current options, for the configuration screen."""

    def _finding(self, code: str, said: Said, **params: ParamValue) -> Finding:
        return Finding(code, self.severity, phrases_of(said) + CONSEQUENCES[self.severity], params)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code} ({self.severity})>"


def _count(value: object, name: str) -> int:
    """A whole number of at least 1 from configuration, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRuleConfig(f"{name} must be a whole number of at least 1, not {value!r}.")
    return value


class MinimumAge(Rule):
    """Below the province's minimum age on the assessment date; the birthday itself counts.

    Someone born on 29 February reaches an age on 1 March in common years (`ages.age_on`).
    """

    code = "age.minimum"

    def __init__(
        self,
        *,
        minimum_ages: Mapping[Province, int] | Mapping[str, int] = DEFAULT_MINIMUM_AGES,
        severity: Severity | str = Severity.ABSOLUTE,
    ) -> None:
        super().__init__(severity=severity)
        ages = {
            _member(Province, key, "province", InvalidRuleConfig): _count(age, f"Age for {key}")
            for key, age in minimum_ages.items()
        }
        if missing := [province.value for province in Province if province not in ages]:
            raise InvalidRuleConfig(f"minimum_ages has no age for {', '.join(missing)}.")
        self.minimum_ages = MappingProxyType(ages)

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """Compare the age on the assessment date with the province's minimum."""
        age = age_on(candidate.date_of_birth, candidate.assessed_on)
        minimum = self.minimum_ages[Province(candidate.province)]
        if age >= minimum:
            return None
        place = PROVINCE_NAMES[Province(candidate.province)]
        return self._finding(
            self.code,
            phrase(
                _("Age %(age)s on %(date)s is below the minimum age of %(minimum)s in %(place)s."),
                age=age,
                date=candidate.assessed_on.isoformat(),
                minimum=minimum,
                place=place,
            ),
            age=age,
            minimum_age=minimum,
            province=candidate.province,
            assessed_on=candidate.assessed_on.isoformat(),
        )

    def describe(self) -> str:
        """The minimum age in each province."""
        ages = ", ".join(f"{age} in {PROVINCE_NAMES[p]}" for p, age in self.minimum_ages.items())
        return f"Minimum age on the assessment date: {ages}."


class _CurrentState(Rule):
    """A yes/no fact about the candidate today; subclasses name the field and the sentence."""

    attribute: str
    sentence: str

    def __init__(self, *, severity: Severity | str = Severity.ABSOLUTE) -> None:
        super().__init__(severity=severity)

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """A finding when the fact is true."""
        if not getattr(candidate, self.attribute):
            return None
        return self._finding(self.code, self.sentence)

    def describe(self) -> str:
        """What the rule checks."""
        return f"{self.attribute.capitalize()} ({self.severity})."


class Pregnancy(_CurrentState):
    """Pregnant now; SPRAVATO US PI 8.1 and patient information: may harm the baby."""

    code = "contraindication.pregnancy"
    attribute = "pregnant"
    sentence = _("Currently pregnant: ketamine may harm the baby and is not recommended.")


class Nursing(_CurrentState):
    """Breastfeeding now; SPRAVATO US PI 8.2 and 17: do not breastfeed during treatment."""

    code = "contraindication.nursing"
    attribute = "nursing"
    sentence = _(
        "Currently breastfeeding: breastfeeding is not recommended during ketamine treatment."
    )


class MedicalHistory(Rule):
    """One condition in the medical history; one instance per condition, each with its severity."""

    def __init__(self, *, condition: Condition | str, severity: Severity | str) -> None:
        super().__init__(severity=severity)
        self.condition = _member(Condition, condition, "history code", InvalidRuleConfig)
        self.code = f"contraindication.{self.condition.value}"

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """A finding when the condition is in the candidate's history."""
        if self.condition not in candidate.history:
            return None
        return self._finding(
            self.code, CONDITION_SENTENCES[self.condition], condition=self.condition.value
        )

    def describe(self) -> str:
        """What the rule checks."""
        return f"History of {self.condition.value.replace('_', ' ')} ({self.severity})."


class IndicationOffered(Rule):
    """The indication has a program at the clinic; others are refused with the reason."""

    code = "indication.not_offered"

    def __init__(
        self,
        *,
        availability: Mapping[Indication, Availability] | Mapping[str, str] = DEFAULT_AVAILABILITY,
        severity: Severity | str = Severity.ABSOLUTE,
    ) -> None:
        super().__init__(severity=severity)
        err = InvalidRuleConfig
        self.availability = MappingProxyType(
            {
                _member(Indication, key, "indication", err): _member(
                    Availability, value, "availability", err
                )
                for key, value in availability.items()
            }
        )

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """A finding unless the indication is offered."""
        indication = Indication(candidate.indication)
        status = self.availability.get(indication)
        if status is Availability.OFFERED:
            return None
        template = (
            _(
                "Ketamine-assisted psychotherapy for %(name)s is not offered yet: the program "
                "for %(name)s is still being developed."
            )
            if status is Availability.UNDER_DEVELOPMENT
            else _("Ketamine-assisted psychotherapy for %(name)s is not offered at this clinic.")
        )
        return self._finding(
            self.code,
            phrase(template, name=INDICATION_NAMES[indication]),
            indication=indication.value,
            availability=status.value if status else "not_offered",
        )

    def describe(self) -> str:
        """The indications offered."""
        offered = [i.value for i, s in self.availability.items() if s is Availability.OFFERED]
        return f"Indications offered: {', '.join(offered) or 'none'}."


class BloodPressure(Rule):
    """A measured blood pressure at or above the limits; not measured is only noted."""

    code = "blood_pressure"

    def __init__(
        self,
        *,
        systolic_limit: int = DEFAULT_SYSTOLIC_LIMIT,
        diastolic_limit: int = DEFAULT_DIASTOLIC_LIMIT,
        severity: Severity | str = Severity.RELATIVE,
    ) -> None:
        super().__init__(severity=severity)
        self.systolic_limit = _count(systolic_limit, "systolic_limit")
        self.diastolic_limit = _count(diastolic_limit, "diastolic_limit")

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """Elevated when either number reaches its limit; an info finding when not measured."""
        systolic, diastolic = candidate.systolic, candidate.diastolic
        if systolic is None or diastolic is None:
            return Finding(
                f"{self.code}.not_measured",
                Severity.INFO,
                _(
                    "Blood pressure was not measured at this assessment; measure it before the "
                    "first dosing session."
                ),
            )
        if systolic < self.systolic_limit and diastolic < self.diastolic_limit:
            return None
        return self._finding(
            f"{self.code}.elevated",
            phrase(
                _(
                    "Blood pressure %(systolic)s/%(diastolic)s mmHg is at or above the limit of "
                    "%(systolic_limit)s/%(diastolic_limit)s mmHg."
                ),
                systolic=systolic,
                diastolic=diastolic,
                systolic_limit=self.systolic_limit,
                diastolic_limit=self.diastolic_limit,
            ),
            systolic=systolic,
            diastolic=diastolic,
            systolic_limit=self.systolic_limit,
            diastolic_limit=self.diastolic_limit,
        )

    def describe(self) -> str:
        """The limits in force."""
        return (
            f"Blood pressure at or above {self.systolic_limit}/{self.diastolic_limit} mmHg "
            f"({self.severity})."
        )


class TreatmentResistance(Rule):
    """Treatment-resistant depression needs enough failed adequate antidepressant trials."""

    code = "treatment_resistance"

    def __init__(
        self,
        *,
        minimum_failed_trials: int = DEFAULT_MINIMUM_FAILED_TRIALS,
        severity: Severity | str = Severity.RELATIVE,
    ) -> None:
        super().__init__(severity=severity)
        self.minimum_failed_trials = _count(minimum_failed_trials, "minimum_failed_trials")

    def evaluate(self, candidate: Candidate) -> Finding | None:
        """Only for treatment-resistant depression; an unknown count asks for the history."""
        if candidate.indication != Indication.TREATMENT_RESISTANT_DEPRESSION:
            return None
        trials, minimum = candidate.failed_antidepressant_trials, self.minimum_failed_trials
        if trials is None:
            return self._finding(
                f"{self.code}.trials_unknown",
                phrase(
                    _(
                        "Treatment-resistant depression needs at least %(minimum)s failed "
                        "adequate antidepressant trials, and the number is not recorded: record "
                        "the antidepressant history."
                    ),
                    minimum=minimum,
                ),
                minimum_failed_trials=minimum,
            )
        if trials >= minimum:
            return None
        return self._finding(
            f"{self.code}.too_few_trials",
            phrase(
                _(
                    "Treatment-resistant depression needs at least %(minimum)s failed adequate "
                    "antidepressant trials; %(trials)s recorded."
                ),
                minimum=minimum,
                trials=trials,
            ),
            failed_trials=trials,
            minimum_failed_trials=minimum,
        )

    def describe(self) -> str:
        """The number of trials required."""
        return (
            f"Treatment-resistant depression: at least {self.minimum_failed_trials} failed "
            f"adequate antidepressant trials ({self.severity})."
        )


# The names configuration may use, like the dotted paths in AUTH_PASSWORD_VALIDATORS.
RULE_CLASSES: Mapping[str, type[Rule]] = MappingProxyType(
    {
        cls.__name__: cls
        for cls in (
            MinimumAge,
            Pregnancy,
            Nursing,
            MedicalHistory,
            IndicationOffered,
            BloodPressure,
            TreatmentResistance,
        )
    }
)


def default_config() -> list[dict[str, Any]]:
    """The default rules as plain data (JSON-ready), the shape settings or a clinic row hold."""
    history = [
        {"rule": "MedicalHistory", "options": {"condition": c.value, "severity": s.value}}
        for c, s in DEFAULT_HISTORY_SEVERITIES.items()
    ]
    availability = {i.value: a.value for i, a in DEFAULT_AVAILABILITY.items()}
    minimum_ages = {p.value: age for p, age in DEFAULT_MINIMUM_AGES.items()}
    blood_pressure = {
        "systolic_limit": DEFAULT_SYSTOLIC_LIMIT,
        "diastolic_limit": DEFAULT_DIASTOLIC_LIMIT,
        "severity": Severity.RELATIVE.value,
    }
    return [
        {"rule": "MinimumAge", "options": {"minimum_ages": minimum_ages}},
        {"rule": "Pregnancy", "options": {"severity": Severity.ABSOLUTE.value}},
        {"rule": "Nursing", "options": {"severity": Severity.ABSOLUTE.value}},
        *history,
        {"rule": "IndicationOffered", "options": {"availability": availability}},
        {"rule": "BloodPressure", "options": blood_pressure},
        {
            "rule": "TreatmentResistance",
            "options": {"minimum_failed_trials": DEFAULT_MINIMUM_FAILED_TRIALS},
        },
    ]


def _build_rule(entry: Mapping[str, Any]) -> Rule:
    name, options = entry.get("rule"), entry.get("options", {})
    if extra := sorted(set(entry) - {"rule", "options"}):
        raise InvalidRuleConfig(f"Rule entry {name!r} has unknown keys {extra}.")
    rule_class = RULE_CLASSES.get(name) if isinstance(name, str) else None
    if rule_class is None:
        raise InvalidRuleConfig(
            f"Unknown eligibility rule {name!r}; allowed: {', '.join(RULE_CLASSES)}."
        )
    try:
        return rule_class(**options)
    except TypeError as error:
        raise InvalidRuleConfig(f"Eligibility rule {name}: {error}") from None


def build_rules(config: Iterable[Mapping[str, Any]]) -> tuple[Rule, ...]:
    """Rules from plain configuration: [{"rule": "MinimumAge", "options": {...}}, ...]."""
    rules = tuple(_build_rule(entry) for entry in config)
    codes = [rule.code for rule in rules]
    if duplicates := sorted({code for code in codes if codes.count(code) > 1}):
        raise InvalidRuleConfig(f"Eligibility rules configured twice: {', '.join(duplicates)}.")
    return rules


def default_rules() -> tuple[Rule, ...]:
    """The documented defaults, for a clinic whose medical director has changed nothing."""
    return build_rules(default_config())


def assess(candidate: Candidate, rules: Iterable[Rule] | None = None) -> Assessment:
    """Run every rule and keep every finding, so the physician signs with the full picture."""
    active = default_rules() if rules is None else tuple(rules)
    findings = tuple(f for rule in active if (f := rule.evaluate(candidate)) is not None)
    return Assessment(outcome=outcome_for(findings), findings=findings)
