"""Further treatment: a new program cycle, linked to the finished one, behind its own screening.

A patient at Reconnect may book another program. The enrolment gate (a signed eligible
determination) applies again, and more strictly: the determination must be signed after the
first cycle ended (the move into Reconnect). The first cycle's screening predates the ketamine
given, the outcomes and any adverse event since, so it cannot clear a second cycle.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.errors import CareCode
from kapclinic.care.models import Enrolment, JourneyTransition, ProgramTemplate
from kapclinic.care.services import CareError, enrol
from kapclinic.clinical.journey import Stage
from kapclinic.screening.models import Determination


def cycle_ended_at(enrolment: Enrolment) -> datetime | None:
    """When the cycle ended: its latest move into Reconnect (None when it never got there)."""
    return (
        JourneyTransition.objects.filter(enrolment=enrolment, to_stage=Stage.RECONNECT)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


def _screened_since(enrolment: Enrolment, ended: datetime) -> bool:
    latest = (
        Determination.objects.filter(screening__patient=enrolment.patient)
        .order_by("-signed_at", "-pk")
        .values_list("signed_at", flat=True)
        .first()
    )
    return latest is not None and latest > ended


@transaction.atomic
def book_further_treatment(
    *,
    by: User,
    enrolment_id: int,
    program: ProgramTemplate,
    supporter_name: str = "",
    supporter_contact: str = "",
) -> Enrolment:
    """Open the next cycle at Connect, linked to the finished one (locked, so it is booked once)."""
    first = (
        Enrolment.objects.select_for_update().select_related("patient__clinic").get(pk=enrolment_id)
    )
    if first.stage != Stage.RECONNECT:
        raise CareError(
            _("Further treatment is booked at the Reconnect stage, once a program is finished."),
            code=CareCode.CYCLE_NOT_FINISHED,
        )
    if Enrolment.objects.filter(previous_cycle=first).exists():
        raise CareError(_("Further treatment is already booked after this program."))
    ended = cycle_ended_at(first)
    if ended is None or not _screened_since(first, ended):
        when = timezone.localtime(ended or timezone.now(), first.patient.clinic.tzinfo)
        raise CareError(
            _(
                "Further treatment needs its own screening: a physician must sign an eligibility "
                "determination after the first program ended (%(ended)s)."
            )
            % {"ended": when.strftime("%Y-%m-%d %H:%M")},
            code=CareCode.CYCLE_SCREENING_NEEDED,
        )
    cycle = enrol(
        by=by,
        patient=first.patient,
        program=program,
        supporter_name=supporter_name,
        supporter_contact=supporter_contact,
    )
    cycle.previous_cycle = first
    cycle.save(update_fields=["previous_cycle"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=first.patient,
        target=cycle,
        detail={"previous_cycle": first.pk},
    )
    return cycle
