"""Who works with ketamine orders and sessions, and which sessions each person may open.

A session is seen only by staff who may see its patient (patients.access, the one place for
that rule): a therapist only the sessions of their care team's patients.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.dosing.models import DosingSession, Order
from kapclinic.errors import NotFound, NotPermitted
from kapclinic.patients.access import visible_patients

# Sign and change ketamine orders.
ORDER_ROLES = frozenset({Role.PHYSICIAN})
# Open today's sessions and a session's screen; record vitals and adverse events.
SESSION_ROLES = frozenset({Role.PHYSICIAN, Role.NURSE, Role.THERAPIST})
# Check in, run the pre-dose checks, clear, give the dose, stop, discharge.
DOSING_ROLES = frozenset({Role.PHYSICIAN, Role.NURSE})
# Write the session note and the setting used.
NOTE_ROLES = frozenset({Role.THERAPIST})


def require_role(by: User, roles: frozenset[Role], sentence: str | Promise) -> None:
    """Services repeat the URL's role check, so that no other caller slips past it."""
    if getattr(by, "role", None) not in roles:
        raise NotPermitted(str(sentence))


def access_session(*, by: User, session_id: int) -> DosingSession:
    """The session, if `by` works with sessions and may see its patient; NotFound otherwise."""
    session = (
        DosingSession.objects.filter(pk=session_id, patient__in=visible_patients(by))
        .select_related("patient__clinic", "clinic", "attendance__appointment__room", "order")
        .first()
    )
    if session is None or by.role not in SESSION_ROLES:
        raise NotFound(_("No ketamine session was found."))
    return session


def access_order(*, by: User, order_id: int) -> Order:
    order = (
        Order.objects.filter(pk=order_id, patient__in=visible_patients(by))
        .select_related("patient", "enrolment")
        .first()
    )
    if order is None:
        raise NotFound(_("No order was found."))
    return order
