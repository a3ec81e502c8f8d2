"""The session's flow: check in, pre-dose checks, clearing, the dose, stopping, discharge.

Every move goes through `move`, which asks clinical.dosing.check_transition and refuses with
its sentences; the facts come from facts.py. Each service runs in one transaction with the
session row locked, writes a SessionTransition and an audit event.
"""

from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event
from kapclinic.care.selectors import current_enrolment
from kapclinic.clinical.discharge import DischargeReadiness, discharge_readiness
from kapclinic.clinical.dosing import SessionFacts, SessionState, check_transition
from kapclinic.clinical.orders import administration_refusals, whole_units_refusal
from kapclinic.clinical.pre_dose import pre_dose_checks
from kapclinic.clinical.vitals import readings_missing_at_discharge
from kapclinic.dosing import facts
from kapclinic.dosing.access import DOSING_ROLES, require_role
from kapclinic.dosing.errors import DosingCode, DosingError, refuse
from kapclinic.dosing.models import (
    Administration,
    Discharge,
    DosingSession,
    Order,
    SessionTransition,
    VitalSign,
)
from kapclinic.dosing.readings import store_reading
from kapclinic.dosing.units import PRODUCT_FORM_OF_ROUTE
from kapclinic.errors import Conflict
from kapclinic.register.models import Lot
from kapclinic.register.services import record_administration
from kapclinic.said import as_stored
from kapclinic.scheduling.models import AppointmentKind, Attendance, Status
from kapclinic.scheduling.services import record_attendance

# Lazy: translated when refused, in the reader's language, not once at import.
DOSING_ONLY = gettext_lazy("Only a physician or a nurse does this.")


def locked_session(session_id: int) -> DosingSession:
    return (
        DosingSession.objects.select_for_update()
        .select_related("patient", "clinic", "attendance")
        .get(pk=session_id)
    )


def move(
    *, by: User, session: DosingSession, to: SessionState, why: SessionFacts | None = None
) -> SessionTransition:
    """The one way a session changes state: the rules decide, the move is stored and audited."""
    why = why or SessionFacts()
    check = check_transition(SessionState(session.state), to, why)
    refuse(check.refusals)
    transition = SessionTransition.objects.create(
        session=session, from_state=session.state, to_state=to, by=by, reason=why.stop_reason
    )
    session.state = to
    session.save(update_fields=["state"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=session.patient,
        target=session,
        reason=why.stop_reason,
        detail={"session": f"{transition.from_state}->{to}"},
    )
    return transition


def check_documented_time(
    session: DosingSession, moment: datetime, now: datetime, what: str, *, not_before: Any = None
) -> None:
    """Every time written in a session lies between its check-in (or `not_before`, a later
    moment such as the clearing or the dose) and now; late entries up to
    DOSING_LATE_ENTRY_HOURS, never in the future."""
    if moment > now:
        raise DosingError(
            _("%(what)s cannot be in the future.") % {"what": what}, code=DosingCode.TIME_FUTURE
        )
    hours = settings.DOSING_LATE_ENTRY_HOURS
    if now - moment > timedelta(hours=hours):
        raise DosingError(
            _("%(what)s can be documented at most %(hours)d hours late.")
            % {"what": what, "hours": hours},
            code=DosingCode.TIME_TOO_LATE,
        )
    earliest, since = not_before or (session.created_at, _("the check-in"))
    # Times are typed to the minute: the minute of the check-in (or dose) itself is allowed.
    if moment < earliest.replace(second=0, microsecond=0):
        raise DosingError(
            _("%(what)s cannot be before %(since)s (%(time)s).")
            % {"what": what, "since": since, "time": local_minute(earliest, session)},
            code=DosingCode.TIME_BEFORE_SESSION,
        )


def local_minute(moment: datetime, session: DosingSession) -> str:
    """A time as the clinic reads it, to the minute."""
    return f"{timezone.localtime(moment, session.clinic.tzinfo):%Y-%m-%d %H:%M}"


@transaction.atomic
def check_in(*, by: User, attendance: Attendance) -> DosingSession:
    """Open the session of a booked ketamine appointment and mark the patient arrived."""
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("appointment__type", "appointment__clinic", "patient")
        .get(pk=attendance.pk)
    )
    if attendance.appointment.type.kind != AppointmentKind.DOSING:
        raise DosingError(
            _("This appointment is not a ketamine session."), code=DosingCode.NOT_DOSING
        )
    if attendance.status in (Status.CANCELLED, Status.NO_SHOW):
        raise DosingError(
            _("This appointment was cancelled or missed."), code=DosingCode.NOT_BOOKED
        )
    if hasattr(attendance, "dosing_session"):
        raise Conflict(_("The patient is already checked in."), code=DosingCode.ALREADY_CHECKED_IN)
    enrolment = attendance.enrolment or current_enrolment(attendance.patient)
    why = SessionFacts(journey_stage=enrolment.stage if enrolment else "")
    session = DosingSession.objects.create(
        attendance=attendance,
        patient=attendance.patient,
        clinic=attendance.appointment.clinic,
        enrolment=enrolment,
    )
    order = facts.current_order(session)
    session.route = order.route if order else ""
    session.save(update_fields=["route"])
    record_event(actor=by, action=Action.CREATE, patient=session.patient, target=session)
    move(by=by, session=session, to=SessionState.CHECKED_IN, why=why)
    if attendance.status == Status.BOOKED:
        record_attendance(by=by, attendance_id=attendance.pk, status=Status.ATTENDED)
    return session


@transaction.atomic
def record_pre_dose_facts(
    *,
    by: User,
    session_id: int,
    fasted_as_instructed: bool,
    ride_home_arranged: bool,
    pregnancy_attestation: str,
    alternative_safeguard: str = "",
    baseline: dict[str, Any] | None = None,
    baseline_taken_at: datetime | None = None,
) -> DosingSession:
    """What the nurse confirmed with the patient, and the baseline reading; the checks follow."""
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    session = locked_session(session_id)
    if session.state == SessionState.CHECKED_IN:
        move(by=by, session=session, to=SessionState.PRE_DOSE_CHECKS)
    elif session.state != SessionState.PRE_DOSE_CHECKS:
        raise Conflict(_("The pre-dose checks are done before the dose."), code=DosingCode.STATE)
    session.fasted_as_instructed = fasted_as_instructed
    session.ride_home_arranged = ride_home_arranged
    session.pregnancy_attestation = pregnancy_attestation
    session.alternative_safeguard = alternative_safeguard.strip()
    session.save()
    if baseline is not None:
        taken_at = baseline_taken_at or timezone.now()
        check_documented_time(session, taken_at, timezone.now(), _("The baseline reading"))
        store_reading(
            by=by,
            session=session,
            taken_at=taken_at,
            values=baseline,
            limits=facts.pre_dose_limits(),
            baseline=True,
        )
    record_event(
        actor=by,
        action=Action.UPDATE,
        patient=session.patient,
        target=session,
        detail={"pre_dose_facts": True},
    )
    return session


@transaction.atomic
def clear_to_dose(*, by: User, session_id: int) -> DosingSession:
    """Every pre-dose check must be met; the order in force is the one the dose is given under."""
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    session = locked_session(session_id)
    check_interval(session, timezone.now())
    order = facts.current_order(session)
    pre_dose = facts.pre_dose_facts(session, session.clinic.today(), order)
    checks = pre_dose_checks(pre_dose, facts.pre_dose_config())
    move(
        by=by,
        session=session,
        to=SessionState.CLEARED_TO_DOSE,
        why=SessionFacts(pre_dose_checks=checks),
    )
    session.order = order
    session.save(update_fields=["order"])
    return session


def check_interval(session: DosingSession, moment: datetime) -> None:
    """No two ketamine doses of one patient closer than DOSING_MIN_INTERVAL_HOURS."""
    gap = timedelta(hours=settings.DOSING_MIN_INTERVAL_HOURS)
    near = (
        Administration.objects.filter(
            session__patient_id=session.patient_id,
            given_at__gt=moment - gap,
            given_at__lt=moment + gap,
        )
        .exclude(session=session)
        .order_by("-given_at", "-id")
        .first()
    )
    if near is not None:
        raise DosingError(
            _(
                "The patient was given ketamine at %(time)s: doses are at least %(hours)d hours "
                "apart."
            )
            % {
                "time": local_minute(near.given_at, session),
                "hours": settings.DOSING_MIN_INTERVAL_HOURS,
            },
            code=DosingCode.DOSE_TOO_SOON,
        )


def _check_lot(session: DosingSession, lot: Lot) -> None:
    if lot.product.form != PRODUCT_FORM_OF_ROUTE.get(session.route):
        raise DosingError(
            _("%(product)s is not given by this session's route.") % {"product": lot.product.name},
            code=DosingCode.LOT_WRONG_FORM,
        )


@transaction.atomic
def record_dose(
    *,
    by: User,
    session_id: int,
    given_at: datetime,
    dose_mg: int,
    lot: Lot,
    now: datetime | None = None,
) -> Administration:
    """The dose as given, and the register's administration entry, in one transaction."""
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    session = locked_session(session_id)
    refuse(
        check_transition(SessionState(session.state), SessionState.DOSED, SessionFacts()).refusals
    )
    cleared_at = facts.entered_at(session, SessionState.CLEARED_TO_DOSE)
    check_documented_time(
        session,
        given_at,
        now or timezone.now(),
        _("The time of the dose"),
        not_before=cleared_at and (cleared_at, _("the clearing to dose")),
    )
    check_interval(session, given_at)
    refuse(
        administration_refusals(
            facts.medication_order(cast(Order, session.order)),
            session_number=facts.session_number(session),
            dose_mg=dose_mg,
            route=session.route,
        )
    )
    _check_lot(session, lot)
    product = lot.product
    refusal = whole_units_refusal(
        dose_mg, product.strength_mg, product.name, product.get_unit_display()
    )
    refuse([refusal] if refusal else [])
    entry = record_administration(
        by=by, clinic=session.clinic, lot=lot, quantity_mg=dose_mg, session_ref=session.pk
    )
    administration = Administration.objects.create(
        session=session,
        given_at=given_at,
        dose_mg=dose_mg,
        units=entry.units,
        route=session.route,
        lot=lot,
        ledger_entry=entry,
        given_by=by,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=session.patient,
        target=administration,
        detail={
            "dose_mg": dose_mg,
            "units": entry.units,
            "lot": lot.number,
            "ledger_entry": entry.pk,
        },
    )
    move(by=by, session=session, to=SessionState.DOSED)
    return administration


@transaction.atomic
def stop_session(*, by: User, session_id: int, reason: str) -> DosingSession:
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    session = locked_session(session_id)
    move(by=by, session=session, to=SessionState.STOPPED, why=SessionFacts(stop_reason=reason))
    session.stop_reason = reason.strip()
    session.save(update_fields=["stop_reason"])
    return session


def readiness(
    session: DosingSession,
    now: datetime,
    *,
    after_dose: list[VitalSign] | None = None,
    **observations: bool,
) -> DischargeReadiness:
    """The discharge criteria for this session now, with what the team observes; `after_dose`
    is the readings after the dose when the caller has them loaded already."""
    if not hasattr(session, "administration"):
        return DischargeReadiness(())
    return discharge_readiness(
        facts.discharge_facts(session, now, after_dose=after_dose, **observations),
        facts.discharge_config(),
    )


def missing_readings(
    session: DosingSession, now: datetime, *, after_dose: list[VitalSign] | None = None
) -> tuple[int, ...]:
    """The scheduled readings (minutes after the dose) not taken if the patient left now."""
    if not hasattr(session, "administration"):
        return ()
    if after_dose is None:
        after_dose = list(session.vitals.filter(baseline=False))
    given = session.administration.given_at
    return readings_missing_at_discharge(
        given,
        [facts.reading(v) for v in after_dose],
        max(now, given),
        facts.monitoring_schedule(),
    )


def _refuse_missing(missing: tuple[int, ...]) -> None:
    minutes = ", ".join(str(m) for m in missing)
    raise DosingError(
        ngettext(
            "The reading due %(minutes)s minutes after the dose was not taken. "
            "Take it, or write why the patient may leave without it.",
            "The readings due %(minutes)s minutes after the dose were not taken. "
            "Take them, or write why the patient may leave without them.",
            len(missing),
        )
        % {"minutes": minutes},
        code=DosingCode.MISSED_READING,
    )


@transaction.atomic
def discharge(
    *,
    by: User,
    session_id: int,
    alert_and_oriented: bool,
    walking_steadily: bool,
    escort_present: bool,
    missed_reason: str = "",
    now: datetime | None = None,
) -> Discharge:
    """Discharge when every configured criterion holds and every scheduled reading was taken
    (or the nurse writes why the patient may leave without it); the criteria are kept as they
    stood."""
    require_role(by, DOSING_ROLES, DOSING_ONLY)
    session = locked_session(session_id)
    now = now or timezone.now()
    assessed = readiness(
        session,
        now,
        alert_and_oriented=alert_and_oriented,
        walking_steadily=walking_steadily,
        escort_present=escort_present,
    )
    move(by=by, session=session, to=SessionState.DISCHARGED, why=SessionFacts(discharge=assessed))
    missing = missing_readings(session, now)
    reason = missed_reason.strip() if missing else ""
    if missing and not reason:
        _refuse_missing(missing)
    snapshot = [{"met": c.met} | as_stored(c) for c in assessed.criteria]
    done = Discharge.objects.create(
        session=session,
        criteria=snapshot,
        by=by,
        missed_readings=list(missing),
        missed_reason=reason,
    )
    record_event(
        actor=by,
        action=Action.CREATE,
        patient=session.patient,
        target=done,
        reason=reason,
        detail={"missed_readings": list(missing)} if missing else None,
    )
    return done
