"""Outcomes follows care: an enrolment gets its measurement schedule in the same transaction."""

from typing import Any

from django.dispatch import receiver

from kapclinic.accounts.models import User
from kapclinic.care.models import Enrolment
from kapclinic.care.signals import enrolled
from kapclinic.outcomes.services import generate_schedule


@receiver(enrolled, dispatch_uid="kapclinic-outcomes-schedule")
def schedule_measurements(sender: Any, *, by: User, enrolment: Enrolment, **kwargs: Any) -> None:
    generate_schedule(by=by, enrolment=enrolment)
