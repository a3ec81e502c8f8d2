"""Background work on referrals, run by `kapclinic worker` (django.tasks, database backend).

Each task re-reads the referral and does nothing when the reason for it has passed
(contacted already, no email address), so a late or repeated run is harmless.
"""

from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.referrals import letters
from kapclinic.referrals.models import AWAITING_CONTACT, Referral, ReferralStatusChange
from kapclinic.text import render_subject, render_text


def _exported(referral: Referral, email: str) -> None:
    """An email carrying a referral's details out of the clinic is audited like a download."""
    record_event(
        actor=None,
        action=Action.EXPORT,
        patient=referral.patient,
        target=referral,
        detail={"email": email, "to": "referrer"},
    )


def _send(
    subject: str, body: str, to: list[str], attachment: tuple[str, bytes, str] | None = None
) -> None:
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if attachment:
        message.attach(*attachment)
    message.send()


@task()
def acknowledge_referral(referral_id: int) -> str:
    """Tell the referrer the referral arrived, with a PDF letter for their records."""
    referral = Referral.objects.select_related("referrer", "clinic", "condition", "patient").get(
        pk=referral_id
    )
    if referral.referrer is None or not referral.referrer.email:
        return "no referrer email"
    with translation.override(referral.referrer.user.language if referral.referrer.user else "en"):
        context = {"referral": referral}
        subject = render_subject("referrals/email/acknowledgement_subject.txt", context)
        body = render_text("referrals/email/acknowledgement.txt", context)
        pdf = letters.acknowledgement_pdf(referral)
    _exported(referral, "acknowledgement")
    _send(
        subject, body, [referral.referrer.email], (f"{referral.number}.pdf", pdf, "application/pdf")
    )
    return "sent"


def _coordinators(referral: Referral) -> list[str]:
    staff = User.objects.filter(role=Role.INTAKE, is_active=True, clinics=referral.clinic_id)
    return list(staff.values_list("email", flat=True))


@task()
def warn_contact_due(referral_id: int) -> str:
    """Warn the clinic's coordinators that a referral nears its contact deadline."""
    referral = Referral.objects.select_related("clinic").get(pk=referral_id)
    if referral.status not in AWAITING_CONTACT or referral.first_contact_at is not None:
        return "already contacted"
    context = {"referral": referral, "hours": settings.CONTACT_WARNING_HOURS}
    body = render_text("referrals/email/contact_due.txt", context)
    _send(f"kapclinic: {referral.number} due for contact", body, _coordinators(referral))
    return "warned"


@task()
def notify_referrer(referral_id: int) -> str:
    """Email the referrer the referral's new status."""
    referral = Referral.objects.select_related("referrer__user", "patient").get(pk=referral_id)
    if referral.referrer is None or not referral.referrer.email:
        return "no referrer email"
    change = ReferralStatusChange.objects.filter(referral=referral).last()
    language = referral.referrer.user.language if referral.referrer.user else "en"
    with translation.override(language):
        body = render_text("referrals/email/status.txt", {"referral": referral, "change": change})
    _exported(referral, "status")
    _send(f"kapclinic: {referral.number}", body, [referral.referrer.email])
    return "sent"


@task()
def send_breach_summary() -> str:
    """Daily: each clinic's coordinators get the referrals not contacted within the promise.

    It schedules its own next run, so one `kapclinic worker` keeps it going without cron.
    """
    now = timezone.now()
    since = now - timedelta(days=1)
    due = Referral.objects.select_related("clinic").filter(contact_due_at__range=(since, now))
    breaches = [
        r
        for r in due
        if r.first_contact_at is None or r.first_contact_at > cast(datetime, r.contact_due_at)
    ]
    by_clinic: dict[int, list[Referral]] = {}
    for referral in breaches:
        by_clinic.setdefault(referral.clinic_id, []).append(referral)
    for referrals in by_clinic.values():
        body = render_text("referrals/email/breaches.txt", {"referrals": referrals})
        _send("kapclinic: contact promise breaches", body, _coordinators(referrals[0]))
    send_breach_summary.using(run_after=now + timedelta(days=1)).enqueue()
    return f"{len(breaches)} breaches"
