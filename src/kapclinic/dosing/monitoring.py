"""Writes after the dose: vital signs (an out-of-limit reading alerts the physician on site),
adverse events (a serious one goes to the medical director) and the therapist's note."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.clinical import adverse_events as rules
from kapclinic.clinical.dosing import SessionState
from kapclinic.clinical.reasons import Phrase, gettext_noop
from kapclinic.dosing import facts, notify
from kapclinic.dosing.access import NOTE_ROLES, SESSION_ROLES, require_role
from kapclinic.dosing.errors import DosingCode, DosingError
from kapclinic.dosing.models import AdverseEvent, SessionNote, VitalSign
from kapclinic.dosing.readings import store_reading
from kapclinic.dosing.services import check_documented_time, locked_session, move
from kapclinic.errors import Conflict
from kapclinic.said import phrases

AFTER_DOSE = (SessionState.DOSED, SessionState.MONITORING)


@transaction.atomic
def record_vitals(
    *,
    by: User,
    session_id: int,
    taken_at: datetime,
    values: dict[str, int | None],
    now: datetime | None = None,
) -> VitalSign:
    """A reading after the dose; the first one starts the monitoring. Alerts reach the
    physician on site as an urgent task."""
    require_role(by, SESSION_ROLES, _("Only a physician, nurse or therapist records vitals."))
    session = locked_session(session_id)
    if session.state not in AFTER_DOSE:
        raise Conflict(
            _("Vital signs after the dose are recorded while monitoring."), code=DosingCode.STATE
        )
    now = now or timezone.now()
    given_at = session.administration.given_at
    check_documented_time(
        session, taken_at, now, _("The time of the reading"), not_before=(given_at, _("the dose"))
    )
    vital, found = store_reading(
        by=by,
        session=session,
        taken_at=taken_at,
        values=values,
        limits=facts.monitoring_limits(),
        baseline=False,
    )
    if session.state == SessionState.DOSED:
        move(by=by, session=session, to=SessionState.MONITORING)
    if found:
        title = Phrase(
            gettext_noop("Urgent: vital signs outside the limits in a ketamine session:")
        )
        alerts = [p for alert in found for p in phrases(alert)]
        notify.create_tasks(session, notify.physicians_on_site(session, now), title, *alerts)
    return vital


@transaction.atomic
def record_adverse_event(
    *,
    by: User,
    session_id: int,
    kind: str,
    severity: str,
    onset_at: datetime,
    description: str = "",
    action: str = "",
    outcome: str = "",
    serious_outcomes: list[str] | None = None,
) -> AdverseEvent:
    """Any time after check-in; a serious event notifies the medical director."""
    require_role(by, SESSION_ROLES, _("Only a physician, nurse or therapist records events."))
    session = locked_session(session_id)
    if session.state == SessionState.SCHEDULED:
        raise Conflict(_("Check the patient in first."), code=DosingCode.STATE)
    try:
        event = rules.AdverseEvent(
            kind=kind,
            severity=severity,
            occurred_at=onset_at,
            description=description,
            serious_outcomes=frozenset(serious_outcomes or ()),
        )
    except rules.InvalidAdverseEvent as error:
        raise DosingError(_(str(error)), code=DosingCode.ADVERSE_EVENT_INVALID) from None
    check_documented_time(session, onset_at, timezone.now(), _("The onset"))
    serious = rules.is_serious(event)
    recorded = AdverseEvent.objects.create(
        session=session,
        kind=kind,
        severity=severity,
        serious_outcomes=sorted(event.serious_outcomes),
        onset_at=onset_at,
        description=description,
        action=action,
        outcome=outcome,
        serious=serious,
        recorded_by=by,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=session.patient,
        target=recorded,
        detail={"kind": kind, "severity": severity, "serious": serious},
    )
    if rules.needs_medical_director(event):
        title = Phrase(
            gettext_noop("Serious adverse event in a ketamine session: %(kind)s"),
            {"kind": Phrase(rules.KIND_NAMES[rules.EventKind(kind)])},
        )
        notify.create_tasks(session, notify.medical_directors(session), title)
    return recorded


@transaction.atomic
def write_session_note(
    *,
    by: User,
    session_id: int,
    intention: str,
    experience: str,
    observations: str,
    music: bool,
    eye_shades: bool,
) -> SessionNote:
    require_role(by, NOTE_ROLES, _("The session note is the therapist's."))
    session = locked_session(session_id)
    if session.state == SessionState.SCHEDULED:
        raise Conflict(_("Check the patient in first."), code=DosingCode.STATE)
    if not (intention.strip() or experience.strip() or observations.strip()):
        raise DosingError(_("Write the intention, the experience or what you observed."))
    note = SessionNote.objects.create(
        session=session,
        intention=intention,
        experience=experience,
        observations=observations,
        music=music,
        eye_shades=eye_shades,
        written_by=by,
    )
    record_event(actor=by, action=Action.CREATE, patient=session.patient, target=note)
    return note
