"""Emails about a referral speak the referral's clinic time, never the server's."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from kapclinic.referrals.models import Referral
from kapclinic.referrals.tasks import send_breach_summary, warn_contact_due
from tests.factories import ReferralFactory, UserFactory


def _vancouver_referral(network: dict[str, Any], due: datetime) -> Referral:
    UserFactory(role="intake", clinics=[network["vancouver"]])
    return ReferralFactory(
        clinic=network["vancouver"],
        province="BC",
        received_at=due - timedelta(hours=24),
        contact_due_at=due,
    )


def test_the_breach_email_gives_the_due_time_in_vancouver_time(network: dict[str, Any]) -> None:
    due = timezone.now() - timedelta(hours=1)
    referral = _vancouver_referral(network, due)
    send_breach_summary.call()
    body = mail.outbox[-1].body
    local = timezone.localtime(due, network["vancouver"].tzinfo)
    assert f"{referral.number}: due {local:%Y-%m-%d %H:%M} P" in body  # PST or PDT
    assert "EST" not in body and "EDT" not in body


def test_the_near_due_warning_gives_vancouver_time(network: dict[str, Any]) -> None:
    due = datetime(2026, 12, 2, 20, 59, tzinfo=UTC)  # 15:59 in Toronto, 12:59 in Vancouver
    referral = _vancouver_referral(network, due)
    warn_contact_due.call(referral.pk)
    assert "2026-12-02 12:59 PST" in mail.outbox[-1].body
