"""Who hears about a session's trouble: the physician on site for an out-of-limit reading,
the medical director for a serious adverse event. Both get an urgent task on "My tasks"."""

from datetime import datetime
from typing import Any

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.clinical.reasons import Phrase
from kapclinic.dosing.models import DosingSession
from kapclinic.said import in_english, stored_phrases
from kapclinic.scheduling.models import Availability
from kapclinic.screening.models import Task


def physicians_on_site(session: DosingSession, now: datetime) -> list[User]:
    """The clinic's physicians whose hours cover now; every physician of the clinic if none."""
    physicians = User.objects.filter(
        role=Role.PHYSICIAN, is_active=True, clinics=session.clinic_id
    ).distinct()
    local = now.astimezone(session.clinic.tzinfo)
    on_site = physicians.filter(
        availability__in=Availability.objects.filter(
            clinic_id=session.clinic_id,
            weekday=local.weekday(),
            starts__lte=local.time(),
            ends__gt=local.time(),
            ended_at__isnull=True,
        )
    ).distinct()
    return list(on_site) or list(physicians)


def medical_directors(session: DosingSession) -> list[User]:
    """Medical directors of the session's clinic, or of the whole network."""
    directors = User.objects.filter(is_medical_director=True, is_active=True)
    return list(
        directors.filter(clinics=session.clinic_id).distinct()
        | directors.filter(network_wide=True).distinct()
    )


def create_tasks(session: DosingSession, people: list[Any], *title: Phrase) -> list[Task]:
    """Urgent tasks whose title each reader reads in their own language (said.py)."""
    return Task.objects.bulk_create(
        Task(
            assignee=person,
            patient_id=session.patient_id,
            title=in_english(*title)[:200],
            wording=stored_phrases(*title),
            urgent=True,
        )
        for person in {person.pk: person for person in people}.values()
    )
