"""Background work: the near-due warning, and the daily breach summary that keeps itself going."""

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kapclinic.referrals.tasks import send_breach_summary, warn_contact_due
from tests.factories import ReferralFactory


def test_coordinators_are_warned_only_while_nobody_has_called(network: dict[str, Any]) -> None:
    referral = network["referral"]
    assert warn_contact_due.call(referral.pk) == "warned"
    warning = mail.outbox[-1]
    assert warning.to == [network["intake"].email]
    assert referral.number in warning.body
    referral.first_contact_at = timezone.now()
    referral.status = "contacted"
    referral.save()
    assert warn_contact_due.call(referral.pk) == "already contacted"
    assert len(mail.outbox) == 1


def test_the_daily_summary_lists_breaches_and_schedules_tomorrow(network: dict[str, Any]) -> None:
    now = timezone.now()
    late = ReferralFactory(
        clinic=network["montreal"],
        received_at=now - timedelta(hours=30),
        first_contact_at=now - timedelta(hours=2),
    )
    ReferralFactory(
        clinic=network["montreal"],
        received_at=now - timedelta(hours=30),
        first_contact_at=now - timedelta(hours=29),
    )
    assert send_breach_summary.call() == "1 breaches"
    assert late.number in mail.outbox[-1].body
    tomorrow = DBTaskResult.objects.get(task_path=send_breach_summary.module_path)
    assert tomorrow.run_after > now + timedelta(hours=23)
