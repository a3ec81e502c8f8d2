"""Reads for the dosing screens; every read of a patient's session or orders is audited."""

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from kapclinic.accounts.models import User
from kapclinic.accounts.selectors import clinics_of
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read
from kapclinic.clinical.dosing import SessionState
from kapclinic.clinical.orders import dose_for_session
from kapclinic.clinical.pre_dose import pre_dose_checks
from kapclinic.clinical.reasons import Check
from kapclinic.clinical.vitals import ReadingDue, minutes_since_dose, next_reading_due
from kapclinic.clinics.models import Clinic
from kapclinic.dosing import facts
from kapclinic.dosing.models import (
    Administration,
    AdverseEvent,
    Discharge,
    DosingSession,
    Order,
    SessionNote,
    SessionTransition,
    VitalSign,
)
from kapclinic.dosing.units import PRODUCT_FORM_OF_ROUTE, in_units, products_for
from kapclinic.dosing.vitals_chart import vitals_chart_uri
from kapclinic.patients.access import visible_patients
from kapclinic.patients.models import Patient
from kapclinic.register.models import Lot
from kapclinic.scheduling.models import AppointmentKind, Attendance, Status


def todays_sessions(*, by: User, clinic: Clinic, day: date) -> list[Attendance]:
    """The clinic's ketamine appointments of the day whose patients `by` may see."""
    begin = datetime.combine(day, time.min, tzinfo=clinic.tzinfo)
    attendances = list(
        Attendance.objects.filter(
            appointment__clinic=clinic,
            appointment__type__kind=AppointmentKind.DOSING,
            starts_at__gte=begin,
            starts_at__lt=begin + timedelta(days=1),
            patient__in=visible_patients(by),
        )
        .exclude(status=Status.CANCELLED)
        .select_related("patient", "appointment__room", "appointment__clinician", "dosing_session")
        .order_by("starts_at", "id")
    )
    if attendances:
        record_list_read(
            actor=by,
            action=Action.READ,
            name="dosing_today",
            patient_ids=[a.patient_id for a in attendances],
            dosing="today",
        )
    return attendances


def session_clinics(by: User) -> QuerySet[Clinic]:
    return clinics_of(by).order_by("name")


@dataclass(frozen=True)
class OrderVersion:
    """One order on the orders page, with what the page works out about it (not columns)."""

    order: Order
    version: int  # 1 for the first order, one more for each change
    replaced: bool  # a later order supersedes it
    dose_units: str  # the dose in the tablets or sprays that make it ("" when not whole)
    titration_units: tuple[tuple[int, str], ...]  # each titration step, in mg and in units


def orders_of(*, by: User, patient: Patient) -> list[OrderVersion]:
    """Every version of the patient's orders, newest first; versions and replacements are
    worked out here from the list rather than by a query per order."""
    orders = list(Order.objects.filter(patient=patient).select_related("signed_by"))
    products = {route: products_for(route) for route in {order.route for order in orders}}
    versions: dict[int, int] = {}
    replaced = {order.supersedes_id for order in orders if order.supersedes_id}
    # Oldest first: an order is signed after the one it supersedes, so its id is larger.
    for order in sorted(orders, key=lambda o: o.pk):
        before = versions.get(order.supersedes_id) if order.supersedes_id else None
        versions[order.pk] = before + 1 if before else 1
    record_event(actor=by, action=Action.READ, patient=patient, detail={"orders": len(orders)})
    return [
        OrderVersion(
            order=order,
            version=versions[order.pk],
            replaced=order.pk in replaced,
            dose_units=in_units(order.dose_mg, products[order.route]),
            titration_units=tuple(
                (step, in_units(step, products[order.route])) for step in order.titration
            ),
        )
        for order in orders
    ]


def usable_lots(session: DosingSession) -> QuerySet[Lot]:
    """Unexpired lots of the session's dosage form that the clinic holds stock of."""
    return (
        Lot.objects.filter(
            product__form=PRODUCT_FORM_OF_ROUTE.get(session.route, ""),
            expiry__gte=session.clinic.today(),
            balances__clinic=session.clinic,
            balances__quantity_mg__gt=0,
        )
        .select_related("product")
        .distinct()
    )


@dataclass(frozen=True)
class Timing:
    minutes_since_dose: int
    next_due: ReadingDue | None
    # When the session ended (discharge, or a stop after the dose): the clock stops there.
    ended_at: datetime | None = None


def _ended_at(session: DosingSession, transitions: list[SessionTransition]) -> datetime | None:
    if not session.is_over:
        return None
    discharge = getattr(session, "discharge", None)
    if discharge is not None:
        return discharge.at
    return max((t.at for t in transitions if t.to_state == session.state), default=None)


def _timing(
    session: DosingSession,
    now: datetime,
    after_dose: list[VitalSign],
    transitions: list[SessionTransition],
) -> Timing | None:
    if not hasattr(session, "administration"):
        return None
    given = session.administration.given_at
    ended = _ended_at(session, transitions)
    if ended is not None:
        return Timing(minutes_since_dose(given, max(ended, given)), None, ended)
    readings = [facts.reading(v) for v in after_dose]
    due = next_reading_due(given, readings, max(now, given), facts.monitoring_schedule())
    return Timing(minutes_since_dose(given, max(now, given)), due)


def _checks(session: DosingSession, order: Order | None) -> tuple[Check, ...]:
    if session.state not in (SessionState.CHECKED_IN, SessionState.PRE_DOSE_CHECKS):
        return ()
    pre_dose = facts.pre_dose_facts(session, session.clinic.today(), order)
    return pre_dose_checks(pre_dose, facts.pre_dose_config())


def planned_dose(session: DosingSession, order: Order | None) -> int | None:
    """The dose `order` gives this session, in whole mg (as ordered and counted)."""
    if order is None:
        return None
    return int(dose_for_session(facts.medication_order(order), facts.session_number(session)))


def _planned_units(session: DosingSession, planned: int | None) -> str:
    if planned is None or session.state != SessionState.CLEARED_TO_DOSE:
        return ""
    return in_units(planned, products_for(session.route))


def _latest(readings: list[VitalSign]) -> list[VitalSign]:
    last = max((v.taken_at for v in readings), default=None)
    return [v for v in readings if v.taken_at == last]


@dataclass(frozen=True)
class SessionScreen:
    """Everything the session's screen shows; its fields are the template's names."""

    session: DosingSession
    vitals: list[VitalSign]
    after_dose: list[VitalSign]
    alerts: list[dict[str, str]]  # every reading of the latest minute: a tie never hides one
    chart: str
    administration: Administration | None
    adverse_events: list[AdverseEvent]
    notes: list[SessionNote]
    transitions: list[SessionTransition]
    checks: tuple[Check, ...]
    timing: Timing | None
    # The order the dose is (or was) given under, once cleared; the one in force before that.
    order: Order | None
    planned_dose: int | None
    planned_units: str
    discharge: Discharge | None

    def context(self) -> dict[str, object]:
        """The template context: one name per field (the objects themselves, not copies)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def session_screen(*, by: User, session: DosingSession, now: datetime) -> SessionScreen:
    """Everything the session's screen shows, read once and audited once."""
    vitals = list(session.vitals.select_related("recorded_by"))
    after_dose = [v for v in vitals if not v.baseline]
    order = session.order or facts.current_order(session)
    record_event(actor=by, action=Action.READ, patient=session.patient, target=session)
    planned = planned_dose(session, order)
    transitions = list(session.transitions.select_related("by"))
    return SessionScreen(
        session=session,
        vitals=vitals,
        after_dose=after_dose,
        alerts=[a for v in _latest(after_dose) for a in v.alerts],
        chart=vitals_chart_uri(after_dose, facts.monitoring_limits(), session.clinic.tzinfo),
        administration=getattr(session, "administration", None),
        adverse_events=list(session.adverse_events.select_related("recorded_by")),
        notes=list(session.notes.select_related("written_by")),
        transitions=transitions,
        checks=_checks(session, order),
        timing=_timing(session, now, after_dose, transitions),
        order=order,
        planned_dose=planned,
        planned_units=_planned_units(session, planned),
        discharge=getattr(session, "discharge", None),
    )
