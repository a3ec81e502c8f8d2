"""Writes for screening: record a response (and raise the safety flag), assign, link, review."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical.instruments import SUICIDAL_IDEATION, InvalidAnswers, score
from kapclinic.clinical.reasons import Phrase, gettext_noop
from kapclinic.errors import DomainError, NotPermitted
from kapclinic.patients.models import CareRole, Patient
from kapclinic.said import in_english, stored_phrases
from kapclinic.screening.errors import ScreeningCode
from kapclinic.screening.models import (
    AccessLink,
    Assignment,
    QuestionnaireResponse,
    SafetyFlag,
    Source,
    Task,
)

# Who is told at once when a response suggests suicidal ideation.
ALERTED_CARE_ROLES = (CareRole.PHYSICIAN, CareRole.THERAPIST)
# Who may document the review of a safety flag.
REVIEWER_ROLES = (Role.PHYSICIAN, Role.NURSE, Role.THERAPIST)


class ScreeningError(DomainError):
    code = ScreeningCode.INVALID


def _alerted(response: QuestionnaireResponse) -> list[User]:
    """Everyone who must see a suicidality flag, whatever the care team looks like.

    The patient's physicians and therapists; whoever assigned the questionnaire this response
    answers (the clinician waiting for it); and, when no physician is on the team, the
    clinic's physicians and the medical directors, so a physician always hears of it."""
    patient = response.patient
    team = [
        m
        for m in patient.care_team.filter(
            ended_at__isnull=True, care_role__in=ALERTED_CARE_ROLES
        ).select_related("user")
        if m.user.is_active
    ]
    people = [m.user for m in team]
    people += [
        a.assigned_by
        for a in Assignment.objects.filter(response=response).select_related("assigned_by")
        if a.assigned_by.is_active
    ]
    if not any(m.care_role == CareRole.PHYSICIAN for m in team):
        physicians = User.objects.filter(role=Role.PHYSICIAN, is_active=True)
        people += physicians.filter(clinics=patient.clinic_id).distinct()
        people += (
            physicians.filter(is_medical_director=True)
            .filter(Q(clinics=patient.clinic_id) | Q(network_wide=True))
            .distinct()
        )
    return list({user.pk: user for user in people}.values())


def _raise_safety_flag(response: QuestionnaireResponse) -> SafetyFlag:
    flag = SafetyFlag.objects.create(
        patient=response.patient, kind=SUICIDAL_IDEATION, response=response
    )
    title = Phrase(
        gettext_noop("Urgent: review suicidal ideation reported on %(instrument)s"),
        {"instrument": str(response.instrument)},
    )
    Task.objects.bulk_create(
        Task(
            assignee=user,
            patient=response.patient,
            safety_flag=flag,
            title=in_english(title)[:200],
            wording=stored_phrases(title),
            urgent=True,
        )
        for user in _alerted(response)
    )
    return flag


@transaction.atomic
def record_response(
    *,
    by: User | None,
    patient: Patient,
    instrument: str,
    answers: list[int],
    source: str,
    language: str,
) -> QuestionnaireResponse:
    """Score and store a response; it completes the open assignment and may raise a flag."""
    try:
        result = score(instrument, answers)
    except InvalidAnswers as error:
        raise ScreeningError(str(error)) from error
    response = QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        answers=list(answers),
        total=result.total,
        band=result.band,
        flags=sorted(result.flags),
        language=language,
        source=source,
        entered_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Assignment.objects.filter(patient=patient, instrument=instrument, response__isnull=True).update(
        response=response
    )
    if SUICIDAL_IDEATION in result.flags:
        _raise_safety_flag(response)
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=patient,
        target=response,
        detail={"instrument": instrument, "source": source},
    )
    return response


@transaction.atomic
def assign_questionnaires(
    *, by: User, patient: Patient, instruments: list[str]
) -> list[Assignment]:
    made = []
    for instrument in instruments:
        assignment, _created = Assignment.objects.get_or_create(
            patient=patient,
            instrument=instrument,
            response__isnull=True,
            defaults={"assigned_by": by},
        )
        made.append(assignment)
    record_event(actor=by, action=Action.UPDATE, patient=patient, detail={"assigned": instruments})
    return made


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_access_link(*, by: User, patient: Patient) -> str:
    """A new single-use link for the patient's open questionnaires; returns the secret token."""
    if not patient.assignments.filter(response__isnull=True).exists():
        raise ScreeningError(_("Assign a questionnaire first."))
    token = secrets.token_urlsafe(32)
    AccessLink.objects.create(
        patient=patient,
        token_hash=token_hash(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(hours=settings.QUESTIONNAIRE_LINK_HOURS),
    )
    record_event(actor=by, action=Action.CREATE, patient=patient, detail={"access_link": True})
    return token


def usable_link(token: str) -> AccessLink:
    link = (
        AccessLink.objects.select_related("patient__clinic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None or not link.usable():
        raise ScreeningError(
            _("This link has expired or was already used. Ask the clinic for a new one.")
        )
    return link


@transaction.atomic
def answer_by_link(
    *, token: str, instrument: str, answers: list[int], language: str
) -> QuestionnaireResponse:
    """The patient answers from the link; it is spent once nothing is left to answer."""
    link = AccessLink.objects.select_for_update().get(pk=usable_link(token).pk)
    if not link.patient.assignments.filter(instrument=instrument, response__isnull=True).exists():
        raise ScreeningError(_("This questionnaire is not waiting for an answer."))
    response = record_response(
        by=None,
        patient=link.patient,
        instrument=instrument,
        answers=answers,
        source=Source.LINK,
        language=language,
    )
    if not link.patient.assignments.filter(response__isnull=True).exists():
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return response


def answer_as_patient(
    *, user: User, instrument: str, answers: list[int], language: str
) -> QuestionnaireResponse:
    """The signed-in patient answers a questionnaire assigned to them."""
    patient = Patient.objects.get(user=user)
    if not patient.assignments.filter(instrument=instrument, response__isnull=True).exists():
        raise ScreeningError(_("This questionnaire is not waiting for an answer."))
    return record_response(
        by=user,
        patient=patient,
        instrument=instrument,
        answers=answers,
        source=Source.PORTAL,
        language=language,
    )


@transaction.atomic
def review_safety_flag(*, by: User, patient: Patient, flag_id: int, note: str) -> SafetyFlag:
    """A clinician documents the review; the banner and the urgent tasks close with it.

    `patient` was opened through access_patient; the flag must be one of theirs."""
    if by.role not in REVIEWER_ROLES:
        raise NotPermitted(_("A physician, nurse or therapist documents this review."))
    flag = child_of(
        patient,
        SafetyFlag.objects.select_for_update(),
        flag_id,
        missing=_("No safety flag was found."),
    )
    if not note.strip():
        raise ScreeningError(_("Write what was done: the review note is required."))
    if flag.reviewed_at is not None:
        raise ScreeningError(_("This flag was already reviewed."))
    flag.reviewed_at, flag.reviewed_by, flag.review_note = timezone.now(), by, note
    flag.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    Task.objects.filter(safety_flag=flag, done_at__isnull=True).update(done_at=flag.reviewed_at)
    record_event(actor=by, action=Action.UPDATE, patient=flag.patient, target=flag, reason=note)
    return flag


@transaction.atomic
def invite_to_portal(*, by: User, patient: Patient) -> User:
    """Give the patient a portal account (no password yet) and email a link to set one."""
    if not patient.email:
        raise ScreeningError(_("Add the patient's email address first."))
    if patient.user_id is not None:
        raise ScreeningError(_("This patient already has a portal account."))
    if User.objects.filter(email__iexact=patient.email).exists():
        raise ScreeningError(_("Another account already uses this email address."))
    user = User.objects.create_user(
        email=patient.email,
        password=None,
        full_name=patient.display_name,
        role=Role.PATIENT,
        language=patient.preferred_language,
    )
    patient.user = user
    patient.save(update_fields=["user"])
    record_event(
        actor=by, action=Action.CREATE, patient=patient, target=user, detail={"portal": True}
    )
    transaction.on_commit(lambda: send_portal_invitation(user.pk))
    return user


def send_portal_invitation(user_id: int) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import EmailMessage
    from django.urls import reverse
    from django.utils import translation
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from kapclinic.text import render_text

    user = User.objects.get(pk=user_id)
    path = reverse(
        "portal:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.language):
        body = render_text("portal/email/invitation.txt", {"url": settings.SITE_URL + path})
        subject = _("Your kapclinic patient portal")
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    ).send()
