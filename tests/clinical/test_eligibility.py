"""Eligibility: each rule fires and stays quiet, the outcome logic, configuration and errors."""

from dataclasses import FrozenInstanceError, replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kapclinic.clinical.eligibility import (
    DEFAULT_AVAILABILITY,
    DEFAULT_HISTORY_SEVERITIES,
    DEFAULT_MINIMUM_AGES,
    RULE_CLASSES,
    Assessment,
    Availability,
    BloodPressure,
    Candidate,
    Condition,
    Finding,
    IndicationOffered,
    InvalidCandidate,
    InvalidRuleConfig,
    MedicalHistory,
    MinimumAge,
    Nursing,
    Outcome,
    Pregnancy,
    Province,
    Rule,
    Severity,
    TreatmentResistance,
    assess,
    build_rules,
    default_config,
    default_rules,
    outcome_for,
)

ASSESSED_ON = date(2026, 6, 1)


def says(finding: Finding | None) -> tuple[object, ...]:
    """What a person reads in a finding: code, severity, the English sentence, the values."""
    assert finding is not None
    return (finding.code, finding.severity, finding.sentence, dict(finding.params))


def make(**changes: Any) -> Candidate:
    """An adult in Quebec referred for depression with nothing against treatment."""
    facts: dict[str, Any] = {
        "date_of_birth": date(1990, 3, 15),
        "assessed_on": ASSESSED_ON,
        "province": "QC",
        "indication": "depression",
        "systolic": 120,
        "diastolic": 80,
    }
    return Candidate(**(facts | changes))


def config_with(rule: str, options: dict[str, Any], *, match: dict[str, Any] | None = None) -> list:
    """The default configuration with one rule's options changed (the first matching entry)."""
    config = default_config()
    for entry in config:
        if entry["rule"] == rule and all(
            entry["options"].get(k) == v for k, v in (match or {}).items()
        ):
            entry["options"] |= options
            return config
    raise AssertionError(f"no {rule} entry matching {match}")


# -- the clean case and the outcome logic ------------------------------------------------------


def test_a_candidate_with_nothing_against_treatment_is_eligible_with_no_findings() -> None:
    assessment = assess(make())

    assert assessment == Assessment(outcome=Outcome.ELIGIBLE, findings=())


@pytest.mark.parametrize(
    ("severities", "outcome"),
    [
        ((), Outcome.ELIGIBLE),
        ((Severity.INFO,), Outcome.ELIGIBLE),
        ((Severity.INFO, Severity.INFO), Outcome.ELIGIBLE),
        ((Severity.RELATIVE,), Outcome.NEEDS_REVIEW),
        ((Severity.RELATIVE, Severity.INFO), Outcome.NEEDS_REVIEW),
        ((Severity.ABSOLUTE,), Outcome.INELIGIBLE),
        ((Severity.ABSOLUTE, Severity.RELATIVE), Outcome.INELIGIBLE),
        ((Severity.INFO, Severity.RELATIVE, Severity.ABSOLUTE), Outcome.INELIGIBLE),
    ],
)
def test_outcome_combines_severities(severities: tuple[Severity, ...], outcome: Outcome) -> None:
    findings = [Finding(f"x.{i}", severity, "A sentence.") for i, severity in enumerate(severities)]

    assert outcome_for(findings) == outcome


def test_blood_pressure_not_measured_is_info_and_changes_nothing() -> None:
    assessment = assess(make(systolic=None, diastolic=None))

    assert assessment.outcome == Outcome.ELIGIBLE
    (finding,) = assessment.findings
    assert finding.code == "blood_pressure.not_measured"
    assert finding.severity == Severity.INFO
    assert finding.sentence == (
        "Blood pressure was not measured at this assessment; measure it before the first "
        "dosing session."
    )


def test_every_finding_is_reported_when_several_apply() -> None:
    # given: a 17-year-old, pregnant, with psychosis, untreated thyroid disease, high blood
    # pressure, referred for TRD with one failed trial
    candidate = make(
        date_of_birth=date(2009, 1, 1),
        pregnant=True,
        nursing=True,
        history={"psychosis", "untreated_thyroid_disease"},
        systolic=150,
        diastolic=95,
        indication="treatment_resistant_depression",
        failed_antidepressant_trials=1,
    )

    # when
    assessment = assess(candidate)

    # then: every rule that applies speaks, in the order the rules run
    assert assessment.codes == (
        "age.minimum",
        "contraindication.pregnancy",
        "contraindication.nursing",
        "contraindication.psychosis",
        "contraindication.untreated_thyroid_disease",
        "blood_pressure.elevated",
        "treatment_resistance.too_few_trials",
    )
    assert assessment.outcome == Outcome.INELIGIBLE


def test_relative_findings_alone_need_review() -> None:
    candidate = make(history={"untreated_thyroid_disease"}, systolic=140, diastolic=80)

    assessment = assess(candidate)

    assert assessment.outcome == Outcome.NEEDS_REVIEW
    assert {f.severity for f in assessment.findings} == {Severity.RELATIVE}


# -- minimum age -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "born", "assessed_on", "fires"),
    [
        ("QC", date(2008, 6, 1), date(2026, 6, 1), False),  # 18th birthday
        ("QC", date(2008, 6, 1), date(2026, 5, 31), True),  # the day before: 17
        ("BC", date(2007, 6, 1), date(2026, 6, 1), False),  # 19th birthday
        ("BC", date(2007, 6, 1), date(2026, 5, 31), True),  # the day before: 18
        ("QC", date(2008, 2, 29), date(2026, 2, 28), True),  # 29 Feb: not yet 18 on 28 Feb
        ("QC", date(2008, 2, 29), date(2026, 3, 1), False),  # 18 on 1 March in a common year
        ("BC", date(2004, 2, 29), date(2023, 2, 28), True),
        ("BC", date(2004, 2, 29), date(2023, 3, 1), False),
        ("QC", date(2008, 2, 29), date(2028, 2, 29), False),  # leap year: the birthday itself
        ("QC", date(2010, 2, 28), date(2028, 2, 28), False),
        ("QC", date(2010, 2, 28), date(2028, 2, 27), True),
    ],
)
def test_minimum_age_on_the_assessment_date(
    province: str, born: date, assessed_on: date, fires: bool
) -> None:
    candidate = make(province=province, date_of_birth=born, assessed_on=assessed_on)

    finding = MinimumAge().evaluate(candidate)

    assert (finding is not None) == fires


def test_an_18_year_old_is_ineligible_in_bc_but_not_in_quebec() -> None:
    born = date(2008, 1, 10)

    in_bc = assess(make(province="BC", date_of_birth=born))
    in_qc = assess(make(province="QC", date_of_birth=born))

    assert in_bc.outcome == Outcome.INELIGIBLE
    assert in_bc.codes == ("age.minimum",)
    assert in_qc.outcome == Outcome.ELIGIBLE


def test_the_age_finding_explains_itself_with_its_parameters() -> None:
    finding = MinimumAge().evaluate(make(province="BC", date_of_birth=date(2007, 6, 2)))

    assert says(finding) == says(
        Finding(
            code="age.minimum",
            severity=Severity.ABSOLUTE,
            sentence="Age 18 on 2026-06-01 is below the minimum age of 19 in British Columbia. "
            "This rules out ketamine-assisted psychotherapy for now.",
            params={"age": 18, "minimum_age": 19, "province": "BC", "assessed_on": "2026-06-01"},
        )
    )


def test_minimum_ages_default_to_the_age_of_majority() -> None:
    assert dict(DEFAULT_MINIMUM_AGES) == {"QC": 18, "BC": 19}


# -- pregnancy, nursing and medical history ---------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "fact", "code"),
    [
        (Pregnancy(), {"pregnant": True}, "contraindication.pregnancy"),
        (Nursing(), {"nursing": True}, "contraindication.nursing"),
    ],
)
def test_pregnancy_and_nursing_are_absolute(rule: Rule, fact: dict[str, bool], code: str) -> None:
    assert rule.evaluate(make()) is None

    finding = rule.evaluate(make(**fact))

    assert finding is not None
    assert (finding.code, finding.severity) == (code, Severity.ABSOLUTE)
    assert assess(make(**fact)).outcome == Outcome.INELIGIBLE


ABSOLUTE_CONDITIONS = [
    "psychosis",
    "mania",
    "untreated_hypertension",
    "cardiovascular_disease",
    "cerebrovascular_disease",
    "seizure_disorder",
    "severe_liver_disease",
]


@pytest.mark.parametrize("condition", ABSOLUTE_CONDITIONS)
def test_absolute_medical_history(condition: str) -> None:
    rule = MedicalHistory(condition=condition, severity="absolute")
    others = {c.value for c in Condition} - {condition}

    assert rule.evaluate(make(history=others)) is None
    finding = rule.evaluate(make(history={condition}))
    assert finding is not None
    assert finding.code == f"contraindication.{condition}"
    assert finding.severity == Severity.ABSOLUTE
    assert finding.params == {"condition": condition}
    assert finding.sentence.startswith("The medical history includes ")
    assert assess(make(history={condition})).outcome == Outcome.INELIGIBLE


def test_untreated_thyroid_disease_needs_review_by_default() -> None:
    assessment = assess(make(history={"untreated_thyroid_disease"}))

    assert assessment.outcome == Outcome.NEEDS_REVIEW
    assert assessment.findings[0].sentence == (
        "The medical history includes untreated thyroid disease. "
        "A physician must review this before treatment can go ahead."
    )


def test_default_history_severities_cover_every_condition() -> None:
    assert set(DEFAULT_HISTORY_SEVERITIES) == set(Condition)
    assert [c for c, s in DEFAULT_HISTORY_SEVERITIES.items() if s == "absolute"] == (
        ABSOLUTE_CONDITIONS
    )


# -- indication --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "indication", ["depression", "treatment_resistant_depression", "anxiety", "ptsd", "addiction"]
)
def test_offered_indications_pass(indication: str) -> None:
    assert IndicationOffered().evaluate(make(indication=indication)) is None


@pytest.mark.parametrize(
    ("indication", "name"),
    [("eating_disorder", "eating disorders"), ("chronic_pain", "chronic pain")],
)
def test_indications_under_development_are_not_offered_yet(indication: str, name: str) -> None:
    finding = IndicationOffered().evaluate(make(indication=indication))

    assert says(finding) == says(
        Finding(
            "indication.not_offered",
            Severity.ABSOLUTE,
            f"Ketamine-assisted psychotherapy for {name} is not offered yet: the program for "
            f"{name} is still being developed. This rules out ketamine-assisted psychotherapy "
            "for now.",
            {"indication": indication, "availability": "under_development"},
        )
    )
    assert assess(make(indication=indication)).outcome == Outcome.INELIGIBLE


def test_an_indication_left_out_of_the_map_is_not_offered() -> None:
    rule = IndicationOffered(availability={"depression": "offered"})

    finding = rule.evaluate(make(indication="ptsd"))

    assert finding is not None
    assert finding.params == {"indication": "ptsd", "availability": "not_offered"}
    assert "is not offered at this clinic." in finding.sentence


def test_default_availability_names_every_indication() -> None:
    assert set(DEFAULT_AVAILABILITY) == {
        "depression",
        "treatment_resistant_depression",
        "anxiety",
        "ptsd",
        "addiction",
        "eating_disorder",
        "chronic_pain",
    }
    assert DEFAULT_AVAILABILITY["eating_disorder"] == Availability.UNDER_DEVELOPMENT


# -- blood pressure ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "code"),
    [
        (139, 89, None),
        (120, 80, None),
        (140, 80, "blood_pressure.elevated"),
        (120, 90, "blood_pressure.elevated"),
        (140, 90, "blood_pressure.elevated"),
        (185, 110, "blood_pressure.elevated"),
        (None, None, "blood_pressure.not_measured"),
    ],
)
def test_blood_pressure_edges(
    systolic: int | None, diastolic: int | None, code: str | None
) -> None:
    finding = BloodPressure().evaluate(make(systolic=systolic, diastolic=diastolic))

    assert (finding.code if finding else None) == code


def test_elevated_blood_pressure_is_relative_and_says_the_numbers() -> None:
    finding = BloodPressure().evaluate(make(systolic=120, diastolic=90))

    assert says(finding) == says(
        Finding(
            "blood_pressure.elevated",
            Severity.RELATIVE,
            "Blood pressure 120/90 mmHg is at or above the limit of 140/90 mmHg. "
            "A physician must review this before treatment can go ahead.",
            {"systolic": 120, "diastolic": 90, "systolic_limit": 140, "diastolic_limit": 90},
        )
    )
    assert assess(make(systolic=140, diastolic=80)).outcome == Outcome.NEEDS_REVIEW


# -- treatment-resistant depression ------------------------------------------------------------


@pytest.mark.parametrize(
    ("trials", "code"),
    [
        (0, "treatment_resistance.too_few_trials"),
        (1, "treatment_resistance.too_few_trials"),
        (2, None),
        (5, None),
        (None, "treatment_resistance.trials_unknown"),
    ],
)
def test_trd_needs_two_failed_trials(trials: int | None, code: str | None) -> None:
    candidate = make(
        indication="treatment_resistant_depression", failed_antidepressant_trials=trials
    )

    finding = TreatmentResistance().evaluate(candidate)

    assert (finding.code if finding else None) == code
    expected = Outcome.ELIGIBLE if code is None else Outcome.NEEDS_REVIEW
    assert assess(candidate).outcome == expected


def test_trd_sentences() -> None:
    trd = {"indication": "treatment_resistant_depression"}
    one = TreatmentResistance().evaluate(make(**trd, failed_antidepressant_trials=1))
    unknown = TreatmentResistance().evaluate(make(**trd))

    assert one is not None
    assert unknown is not None
    assert one.sentence == (
        "Treatment-resistant depression needs at least 2 failed adequate antidepressant trials; "
        "1 recorded. A physician must review this before treatment can go ahead."
    )
    assert one.params == {"failed_trials": 1, "minimum_failed_trials": 2}
    assert unknown.sentence == (
        "Treatment-resistant depression needs at least 2 failed adequate antidepressant trials, "
        "and the number is not recorded: record the antidepressant history. "
        "A physician must review this before treatment can go ahead."
    )


def test_trial_count_matters_only_for_treatment_resistant_depression() -> None:
    assert TreatmentResistance().evaluate(make(failed_antidepressant_trials=0)) is None
    assert TreatmentResistance().evaluate(make(failed_antidepressant_trials=None)) is None


# -- configuration -----------------------------------------------------------------------------


def test_default_rules_are_built_from_the_default_config() -> None:
    rules = default_rules()

    assert [type(rule).__name__ for rule in rules] == [e["rule"] for e in default_config()]
    assert len({rule.code for rule in rules}) == len(rules)
    assert all(rule.describe() for rule in rules)


def test_default_config_is_plain_data_and_a_fresh_copy() -> None:
    config = default_config()
    config[0]["options"]["minimum_ages"]["BC"] = 99

    assert default_config()[0] == {
        "rule": "MinimumAge",
        "options": {"minimum_ages": {"QC": 18, "BC": 19}},
    }


def test_a_medical_director_can_make_thyroid_disease_absolute() -> None:
    config = config_with(
        "MedicalHistory", {"severity": "absolute"}, match={"condition": "untreated_thyroid_disease"}
    )
    candidate = make(history={"untreated_thyroid_disease"})

    assert assess(candidate).outcome == Outcome.NEEDS_REVIEW
    assert assess(candidate, build_rules(config)).outcome == Outcome.INELIGIBLE


def test_a_medical_director_can_raise_the_minimum_age_in_bc() -> None:
    config = config_with("MinimumAge", {"minimum_ages": {"QC": 18, "BC": 21}})
    twenty = make(province="BC", date_of_birth=date(2006, 1, 1))

    assert assess(twenty).outcome == Outcome.ELIGIBLE
    assessment = assess(twenty, build_rules(config))
    assert assessment.outcome == Outcome.INELIGIBLE
    assert assessment.findings[0].params["minimum_age"] == 21


def test_a_medical_director_can_change_the_blood_pressure_limits() -> None:
    config = config_with("BloodPressure", {"systolic_limit": 160, "diastolic_limit": 100})

    assert assess(make(systolic=150, diastolic=95), build_rules(config)).outcome == Outcome.ELIGIBLE


def test_a_clinic_can_offer_a_new_indication() -> None:
    availability = {i.value: a.value for i, a in DEFAULT_AVAILABILITY.items()}
    config = config_with(
        "IndicationOffered", {"availability": availability | {"chronic_pain": "offered"}}
    )

    assert assess(make(indication="chronic_pain"), build_rules(config)).outcome == Outcome.ELIGIBLE


def test_leaving_a_rule_out_of_the_configuration_switches_it_off() -> None:
    config = [e for e in default_config() if e["rule"] != "Nursing"]

    assert assess(make(nursing=True), build_rules(config)).outcome == Outcome.ELIGIBLE


def test_a_rule_downgraded_to_info_is_reported_but_changes_nothing() -> None:
    rules = build_rules([{"rule": "Nursing", "options": {"severity": "info"}}])

    assessment = assess(make(nursing=True), rules)

    assert assessment.outcome == Outcome.ELIGIBLE
    assert assessment.findings[0].sentence == (
        "Currently breastfeeding: breastfeeding is not recommended during ketamine treatment."
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            [{"rule": "MaximumAge"}],
            "Unknown eligibility rule 'MaximumAge'; allowed: MinimumAge, Pregnancy, Nursing, "
            "MedicalHistory, IndicationOffered, BloodPressure, TreatmentResistance.",
        ),
        (
            [{"rule": "Nursing", "option": {}}],
            "Rule entry 'Nursing' has unknown keys ['option'].",
        ),
        (
            [{"rule": "Nursing", "options": {"severity": "severe"}}],
            "Unknown severity 'severe'; allowed: absolute, relative, info.",
        ),
        (
            [{"rule": "MinimumAge", "options": {"minimum_ages": {"QC": 18}}}],
            "minimum_ages has no age for BC.",
        ),
        (
            [{"rule": "MinimumAge", "options": {"minimum_ages": {"QC": 18, "BC": 19, "ON": 18}}}],
            "Unknown province 'ON'; allowed: QC, BC.",
        ),
        (
            [{"rule": "MinimumAge", "options": {"minimum_ages": {"QC": "18", "BC": 19}}}],
            "Age for QC must be a whole number of at least 1, not '18'.",
        ),
        (
            [{"rule": "BloodPressure", "options": {"systolic_limit": 0}}],
            "systolic_limit must be a whole number of at least 1, not 0.",
        ),
        (
            [
                {
                    "rule": "MedicalHistory",
                    "options": {"condition": "diabetes", "severity": "absolute"},
                }
            ],
            "Unknown history code 'diabetes'; allowed: psychosis, mania, untreated_hypertension, "
            "cardiovascular_disease, cerebrovascular_disease, seizure_disorder, "
            "severe_liver_disease, untreated_thyroid_disease.",
        ),
        (
            [{"rule": "IndicationOffered", "options": {"availability": {"insomnia": "offered"}}}],
            "Unknown indication 'insomnia'; allowed: depression, treatment_resistant_depression, "
            "anxiety, ptsd, addiction, eating_disorder, chronic_pain.",
        ),
        (
            [{"rule": "IndicationOffered", "options": {"availability": {"ptsd": "maybe"}}}],
            "Unknown availability 'maybe'; allowed: offered, under_development.",
        ),
        (
            [{"rule": "Pregnancy"}, {"rule": "Pregnancy"}],
            "Eligibility rules configured twice: contraindication.pregnancy.",
        ),
    ],
)
def test_bad_configuration_is_refused_with_a_reason(config: list, message: str) -> None:
    with pytest.raises(InvalidRuleConfig) as raised:
        build_rules(config)

    assert str(raised.value) == message


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(InvalidRuleConfig, match=r"Eligibility rule Pregnancy: .*'weeks'"):
        build_rules([{"rule": "Pregnancy", "options": {"weeks": 12}}])


def test_medical_history_needs_a_condition_and_a_severity() -> None:
    with pytest.raises(InvalidRuleConfig, match="MedicalHistory"):
        build_rules([{"rule": "MedicalHistory", "options": {"condition": "mania"}}])


def test_every_rule_class_can_be_named_in_configuration() -> None:
    assert set(RULE_CLASSES.values()) == {
        MinimumAge,
        Pregnancy,
        Nursing,
        MedicalHistory,
        IndicationOffered,
        BloodPressure,
        TreatmentResistance,
    }


# -- candidate errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"province": "ON"}, "Unknown province 'ON'; allowed: QC, BC."),
        ({"province": "qc"}, "Unknown province 'qc'; allowed: QC, BC."),
        (
            {"indication": "insomnia"},
            "Unknown indication 'insomnia'; allowed: depression, treatment_resistant_depression, "
            "anxiety, ptsd, addiction, eating_disorder, chronic_pain.",
        ),
        (
            {"history": {"psychosis", "diabetes"}},
            "Unknown history code 'diabetes'; allowed: psychosis, mania, untreated_hypertension, "
            "cardiovascular_disease, cerebrovascular_disease, seizure_disorder, "
            "severe_liver_disease, untreated_thyroid_disease.",
        ),
        (
            {"date_of_birth": date(2026, 6, 2)},
            "Date of birth 2026-06-02 is after the assessment date 2026-06-01.",
        ),
        (
            {"systolic": 120, "diastolic": None},
            "Give both systolic and diastolic blood pressure, or neither.",
        ),
        ({"systolic": 0, "diastolic": 80}, "Blood pressure 0/80 mmHg is not a measurement."),
        ({"failed_antidepressant_trials": -1}, "Failed antidepressant trials cannot be -1."),
    ],
)
def test_impossible_candidates_are_refused_with_a_reason(changes: dict, message: str) -> None:
    with pytest.raises(InvalidCandidate) as raised:
        make(**changes)

    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


def test_candidate_codes_are_stored_as_enums_and_history_frozen() -> None:
    candidate = make(history=["mania"])

    assert candidate.province is Province.QC
    assert candidate.history == frozenset({Condition.MANIA})
    with pytest.raises(FrozenInstanceError):
        candidate.pregnant = True  # type: ignore[misc]


def test_findings_and_assessments_are_immutable() -> None:
    finding = Finding("x", Severity.INFO, "A sentence.", {"a": 1})

    with pytest.raises(TypeError):
        finding.params["a"] = 2  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        assess(make()).outcome = Outcome.INELIGIBLE  # type: ignore[misc]
    assert isinstance(hash(finding), int)  # usable in sets, although params is a mapping


# -- properties --------------------------------------------------------------------------------

blood_pressures = st.none() | st.tuples(st.integers(70, 220), st.integers(40, 130))


@st.composite
def candidates(draw: st.DrawFn) -> Candidate:
    """Any candidate the module accepts: blood pressure is a pair or nothing."""
    pressure = draw(blood_pressures)
    return Candidate(
        date_of_birth=draw(st.dates(date(1930, 1, 1), date(2015, 12, 31))),
        assessed_on=draw(st.dates(date(2016, 1, 1), date(2040, 12, 31))),
        province=draw(st.sampled_from(["QC", "BC"])),
        indication=draw(st.sampled_from([i.value for i in DEFAULT_AVAILABILITY])),
        pregnant=draw(st.booleans()),
        nursing=draw(st.booleans()),
        history=draw(st.frozensets(st.sampled_from([c.value for c in Condition]))),
        systolic=pressure[0] if pressure else None,
        diastolic=pressure[1] if pressure else None,
        failed_antidepressant_trials=draw(st.none() | st.integers(0, 8)),
    )


severities = st.sampled_from(list(Severity))


@st.composite
def configurations(draw: st.DrawFn) -> list[dict[str, Any]]:
    """The default rules, some left out, each with a severity a medical director might choose."""
    config = [e for e in default_config() if draw(st.booleans())]
    for entry in config:
        entry["options"]["severity"] = draw(severities)
    return config


@given(candidates(), configurations())
def test_outcome_follows_the_most_severe_finding(candidate: Candidate, config: list) -> None:
    assessment = assess(candidate, build_rules(config))
    found = {finding.severity for finding in assessment.findings}

    assert (assessment.outcome == Outcome.INELIGIBLE) == (Severity.ABSOLUTE in found)
    assert (assessment.outcome == Outcome.NEEDS_REVIEW) == (
        Severity.ABSOLUTE not in found and Severity.RELATIVE in found
    )
    assert (assessment.outcome == Outcome.ELIGIBLE) == (found <= {Severity.INFO})


@given(candidates(), configurations())
def test_every_rule_runs_and_each_finding_comes_from_one_rule(
    candidate: Candidate, config: list
) -> None:
    rules = build_rules(config)

    findings = assess(candidate, rules).findings

    expected = [f for f in (rule.evaluate(candidate) for rule in rules) if f is not None]
    assert list(findings) == expected
    for finding, rule in zip(findings, [r for r in rules if r.evaluate(candidate)], strict=True):
        assert finding.code == rule.code or finding.code.startswith(f"{rule.code}.")
        assert finding.sentence


OUTCOME_RANK = {Outcome.ELIGIBLE: 0, Outcome.NEEDS_REVIEW: 1, Outcome.INELIGIBLE: 2}


@given(candidates(), st.sampled_from([c.value for c in Condition]))
def test_adding_a_condition_never_makes_the_outcome_better(
    candidate: Candidate, condition: str
) -> None:
    worse = replace(candidate, history=candidate.history | {condition})

    assert OUTCOME_RANK[assess(worse).outcome] >= OUTCOME_RANK[assess(candidate).outcome]


@given(st.lists(st.builds(Finding, st.just("x"), severities, st.just("A sentence."))))
def test_info_findings_never_change_the_outcome(findings: list[Finding]) -> None:
    without_info = [f for f in findings if f.severity != Severity.INFO]

    assert outcome_for(findings) == outcome_for(without_info)
