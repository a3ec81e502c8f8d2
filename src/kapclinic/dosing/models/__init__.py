"""Ketamine orders and dosing sessions: what was ordered, checked, given, observed and decided.

Nothing here is deleted or edited in place: a changed order is a new version, a session's
every move is a SessionTransition row, readings and events are appended.
"""

from kapclinic.dosing.models.monitoring import AdverseEvent, Discharge, SessionNote, VitalSign
from kapclinic.dosing.models.orders import ROUTE_CHOICES, Order
from kapclinic.dosing.models.sessions import (
    Administration,
    DosingSession,
    PregnancyAttestation,
    SessionTransition,
)

__all__ = [
    "ROUTE_CHOICES",
    "Administration",
    "AdverseEvent",
    "Discharge",
    "DosingSession",
    "Order",
    "PregnancyAttestation",
    "SessionNote",
    "SessionTransition",
    "VitalSign",
]
