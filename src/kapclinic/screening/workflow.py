"""The screening workflow: facts in, explained findings out, a physician's signed decision.

Findings come from clinical.eligibility with the rules a medical director configured
(settings.ELIGIBILITY_RULES, default: the module's documented defaults).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts import reauth
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.eligibility import (
    Assessment,
    Candidate,
    Severity,
    assess,
    build_rules,
    default_config,
)
from kapclinic.clinics.models import Condition
from kapclinic.errors import NotPermitted
from kapclinic.patients.models import Patient
from kapclinic.referrals.models import Referral
from kapclinic.referrals.services import follow_determination
from kapclinic.said import as_stored
from kapclinic.screening.errors import ScreeningCode
from kapclinic.screening.from_referral import facts_from_referral
from kapclinic.screening.inputs import ScreeningInput
from kapclinic.screening.models import Decision, Determination, Screening
from kapclinic.screening.services import ScreeningError, assign_questionnaires

# Baseline questionnaires by indication (the choice, from each instrument's purpose).
BASELINE = {
    "depression": ["PHQ-9"],
    "treatment_resistant_depression": ["PHQ-9"],
    "anxiety": ["GAD-7"],
    "ptsd": ["PCL-5"],
    "addiction": ["AUDIT", "DUDIT"],
}


@transaction.atomic
def start_screening(
    *, by: User, patient: Patient, indication: Condition, referral: Referral | None = None
) -> Screening:
    """Open a screening and assign the baseline questionnaires of the indication.

    A screening opened from a referral starts from what the referrer reported
    (from_referral.py); the physician confirms or corrects each fact."""
    screening = Screening.objects.create(
        patient=patient,
        referral=referral,
        indication=indication,
        created_by=by,
        **facts_from_referral(referral).values,
    )
    instruments = BASELINE.get(indication.code, [])
    if instruments:
        assign_questionnaires(by=by, patient=patient, instruments=instruments)
    record_event(actor=by, action=Action.CREATE, patient=patient, target=screening)
    return screening


# The facts a re-screening starts from (the physician amends them; the old screening is kept).
CARRIED_FACTS = (
    "pregnant",
    "nursing",
    "history",
    "psychiatric_history",
    "medications",
    "substance_use",
    "failed_antidepressant_trials",
)


@transaction.atomic
def rescreen(*, by: User, previous: Screening) -> Screening:
    """Open a new screening of a patient whose latest one is signed, referencing it.

    Its facts start from the previous screening's; vital signs are measured again.
    """
    previous = Screening.objects.select_for_update().get(pk=previous.pk)
    if not hasattr(previous, "determination"):
        raise ScreeningError(_("This screening is not signed yet: amend it instead."))
    if Screening.objects.filter(previous=previous).exists():
        raise ScreeningError(_("This screening has already been re-screened."))
    screening = Screening.objects.create(
        patient=previous.patient,
        referral=previous.referral,
        indication=previous.indication,
        previous=previous,
        created_by=by,
        **{name: getattr(previous, name) for name in CARRIED_FACTS},
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=previous.patient,
        target=screening,
        detail={"rescreening_of": previous.pk},
    )
    return screening


@transaction.atomic
def update_screening(*, by: User, screening: Screening, facts: ScreeningInput) -> Screening:
    if hasattr(screening, "determination"):
        raise ScreeningError(_("A signed screening can no longer be changed."))
    facts.write_to(screening)
    screening.save()
    record_event(actor=by, action=Action.UPDATE, patient=screening.patient, target=screening)
    return screening


def findings_for(screening: Screening) -> Assessment:
    """The eligibility assessment of the screening as it stands today, in the clinic's zone."""
    patient = screening.patient
    candidate = Candidate(
        date_of_birth=patient.date_of_birth,
        assessed_on=timezone.localdate(timezone=patient.clinic.tzinfo),
        province=patient.clinic.jurisdiction.province,
        indication=screening.indication.code,
        pregnant=screening.pregnant,
        nursing=screening.nursing,
        history=frozenset(screening.history),
        systolic=screening.systolic if screening.diastolic is not None else None,
        diastolic=screening.diastolic if screening.systolic is not None else None,
        failed_antidepressant_trials=screening.failed_antidepressant_trials,
    )
    return assess(candidate, build_rules(settings.ELIGIBILITY_RULES or default_config()))


def sign_determination(
    *, by: User, screening: Screening, decision: str, password: str, justification: str = ""
) -> Determination:
    """A physician signs, re-entering their password (or authenticator code); overriding an
    absolute finding needs a written justification.

    A wrong password is recorded once the refused signature has rolled back, so it counts
    towards the physician's lockout (accounts.reauth), as a register witness's does."""
    try:
        return _sign_determination(
            by=by,
            screening=screening,
            decision=decision,
            password=password,
            justification=justification,
        )
    except ScreeningError as error:
        if error.code == ScreeningCode.SIGNER_PASSWORD_WRONG:
            reauth.record_failed_attempt(
                by=by,
                user=by,
                detail={"signing": "screening", "screening": str(screening.pk)},
            )
        raise


def _confirm_signer(by: User, password: str) -> None:
    try:
        reauth.confirm_identity(user=by, secret=password, totp=True)
    except reauth.ReauthRefused as refused:
        if refused.why == reauth.Reauth.LOCKED:
            raise ScreeningError(
                _(
                    "Too many wrong passwords: signing is locked for %(minutes)d minutes. "
                    "Try again later or ask an administrator."
                )
                % {"minutes": settings.AXES_COOLOFF_TIME * 60},
                code=ScreeningCode.SIGNER_LOCKED,
            ) from None
        raise ScreeningError(
            _("Your password is not correct: the determination is not signed."),
            code=ScreeningCode.SIGNER_PASSWORD_WRONG,
        ) from None


@transaction.atomic
def _sign_determination(
    *, by: User, screening: Screening, decision: str, password: str, justification: str
) -> Determination:
    if by.role != Role.PHYSICIAN:
        raise NotPermitted(_("Only a physician signs the determination."))
    _confirm_signer(by, password)
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if hasattr(screening, "determination"):
        raise ScreeningError(_("This screening is already signed."))
    assessment = findings_for(screening)
    absolute = [f.code for f in assessment.findings if f.severity == Severity.ABSOLUTE]
    if absolute and decision != Decision.NOT_ELIGIBLE and not justification.strip():
        raise ScreeningError(
            _("Signing against an absolute finding (%(codes)s) needs a written justification.")
            % {"codes": ", ".join(absolute)}
        )
    determination = Determination.objects.create(
        screening=screening,
        decision=decision,
        justification=justification,
        signed_by=by,
        outcome=assessment.outcome,
        findings=[{"severity": f.severity} | as_stored(f) for f in assessment.findings],
    )
    if screening.referral_id:
        follow_determination(by=by, referral_id=screening.referral_id, decision=decision)
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=screening.patient,
        target=determination,
        reason=justification,
        detail={"decision": decision, "outcome": assessment.outcome},
    )
    return determination
