"""Propose a program's appointments inside its window: pure Python, no database.

The caller loads what the clinic has (clinicians' weekly hours, rooms, what is already
booked, who is qualified on which day) into `Resources`; `propose` walks the plan's steps
in order and takes, for each, the earliest start on the booking grid where a clinician of
the right role is working and qualified, a suitable room is free, the patient is free and,
for a ketamine session, a physician or nurse is on site. Nothing here writes; booking goes
through services.book_appointment, where the database has the last word.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MEDICAL_ROLES = frozenset({"physician", "nurse"})
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Need:
    """What one kind of appointment needs (from its AppointmentType)."""

    type_id: int
    kind: str
    duration: timedelta
    lead_role: str
    dosing_room: bool = False
    medical_on_site: bool = False


@dataclass(frozen=True)
class Step:
    need: Need
    label: str
    min_days_after_previous: int = 1
    # For ketamine sessions: the least number of days since the previous one.
    min_days_after_same_kind: int = 0


@dataclass(frozen=True)
class Slot:
    step: Step
    clinician_id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass
class Resources:
    tz: ZoneInfo
    hours: dict[int, list[tuple[int, time, time]]]  # clinician -> (weekday, from, until)
    roles: dict[int, str]  # clinician -> role
    rooms: dict[int, bool]  # room -> dosing capable
    busy: dict[tuple[str, int], list[Interval]] = field(default_factory=dict)
    qualified: Callable[[int, date], bool] = lambda clinician, day: True
    preferred: tuple[int, ...] = ()  # clinicians tried first (the patient's care team)
    grid: timedelta = timedelta(minutes=30)
    patient_id: int = 0
    # Nothing is proposed to start before this moment (now, when loaded for booking).
    not_before: datetime | None = None
    # The least time between two appointments of a kind (ketamine sessions), and the starts of
    # the patient's appointments of that kind already booked.
    spacing: dict[str, timedelta] = field(default_factory=dict)
    starts_of_kind: dict[str, list[datetime]] = field(default_factory=dict)

    def spaced(self, kind: str, start: datetime) -> bool:
        gap = self.spacing.get(kind)
        if gap is None:
            return True
        return all(abs(start - other) >= gap for other in self.starts_of_kind.get(kind, ()))

    def is_free(self, resource: tuple[str, int], period: Interval) -> bool:
        start, end = period
        return all(end <= s or start >= e for s, e in self.busy.get(resource, ()))

    def take(self, slot: Slot) -> None:
        period = (slot.starts_at, slot.ends_at)
        for resource in (
            ("clinician", slot.clinician_id),
            ("room", slot.room_id),
            ("patient", self.patient_id),
        ):
            self.busy.setdefault(resource, []).append(period)
        self.starts_of_kind.setdefault(slot.step.need.kind, []).append(slot.starts_at)

    def works(self, clinician: int, period: Interval) -> bool:
        return covers(self.hours.get(clinician, ()), self.tz, period)


def covers(hours: Iterable[tuple[int, time, time]], tz: ZoneInfo, period: Interval) -> bool:
    """Whether weekly hours (weekday, from, until; local time) cover the whole period."""
    start, end = (moment.astimezone(tz) for moment in period)
    if start.date() != end.date():
        return False
    return any(
        weekday == start.weekday() and begins <= start.time() and end.time() <= until
        for weekday, begins, until in hours
    )


class NoSlot(Exception):
    """No time inside the window for this step."""

    def __init__(self, step: Step) -> None:
        super().__init__(step.label)
        self.step = step


def _clinicians(resources: Resources, role: str, day: date) -> list[int]:
    found = [c for c, r in resources.roles.items() if r == role and resources.qualified(c, day)]
    return sorted(found, key=lambda c: (c not in resources.preferred, c))


def _starts(
    resources: Resources, clinician: int, day: date, length: timedelta
) -> Iterator[datetime]:
    for weekday, begins, until in resources.hours.get(clinician, ()):
        if weekday != day.weekday():
            continue
        moment = datetime.combine(day, begins, resources.tz)
        last = datetime.combine(day, until, resources.tz) - length
        while moment <= last:
            yield moment.astimezone(UTC)
            moment += resources.grid


def _room(resources: Resources, need: Need, period: Interval) -> int | None:
    # Ordinary appointments take ordinary rooms first, leaving the dosing rooms free.
    rooms = sorted(resources.rooms.items(), key=lambda item: (item[1], item[0]))
    for room, dosing_capable in rooms:
        if need.dosing_room and not dosing_capable:
            continue
        if resources.is_free(("room", room), period):
            return room
    return None


def _medical_staff(resources: Resources, day: date) -> list[int]:
    """The physicians and nurses qualified on `day` (who may be on site for a ketamine session)."""
    return [
        c for c, r in resources.roles.items() if r in MEDICAL_ROLES and resources.qualified(c, day)
    ]


def _medical_on_site(resources: Resources, medical: list[int], lead: int, period: Interval) -> bool:
    return any(c != lead and resources.works(c, period) for c in medical)


def find_slot(resources: Resources, step: Step, day: date) -> Slot | None:
    """The earliest slot for `step` on `day`, or None."""
    need = step.need
    medical = _medical_staff(resources, day) if need.medical_on_site else []
    for clinician in _clinicians(resources, need.lead_role, day):
        for start in _starts(resources, clinician, day, need.duration):
            if resources.not_before and start < resources.not_before:
                continue
            if not resources.spaced(need.kind, start):
                continue
            period = (start, start + need.duration)
            if not (
                resources.is_free(("clinician", clinician), period)
                and resources.is_free(("patient", resources.patient_id), period)
            ):
                continue
            if need.medical_on_site and not _medical_on_site(resources, medical, clinician, period):
                continue
            room = _room(resources, need, period)
            if room is not None:
                return Slot(step, clinician, room, *period)
    return None


def propose(steps: list[Step], resources: Resources, start: date, last_day: date) -> list[Slot]:
    """One slot per step, in order, all between `start` and `last_day`; NoSlot names the first
    step that does not fit."""
    slots: list[Slot] = []
    previous: date | None = None
    last_of_kind: dict[str, date] = {}
    for step in steps:
        earliest = start
        if previous is not None:
            earliest = max(earliest, previous + timedelta(days=step.min_days_after_previous))
        if step.need.kind in last_of_kind:
            same = last_of_kind[step.need.kind] + timedelta(days=step.min_days_after_same_kind)
            earliest = max(earliest, same)
        slot = _first_slot(resources, step, earliest, last_day)
        resources.take(slot)
        slots.append(slot)
        previous = last_of_kind[step.need.kind] = slot.starts_at.astimezone(resources.tz).date()
    return slots


def _first_slot(resources: Resources, step: Step, earliest: date, last_day: date) -> Slot:
    day = earliest
    while day <= last_day:
        slot = find_slot(resources, step, day)
        if slot is not None:
            return slot
        day += timedelta(days=1)
    raise NoSlot(step)
