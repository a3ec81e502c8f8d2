"""Search parameters shared by every resource type: _id, patient, date, status, _lastUpdated,
_count, and the paging offset, and `identifier` where a type declares it; a value that cannot
be read is a 400, never ignored."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from kapclinic.fhir.outcome import FhirError

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_OFFSET = 10**7
# FHIR search prefixes for ordered values (R4 search 3.1.1.4.5) that this server implements.
PREFIXES = ("eq", "gt", "lt", "ge", "le")
COMMON = (
    "_id",
    "identifier",
    "patient",
    "date",
    "status",
    "url",
    "_lastUpdated",
    "_count",
    "_offset",
)
MAX_TOKEN = 200  # characters of one token value (system|code); an identifier is far shorter


@dataclass(frozen=True)
class Range:
    """A date or instant criterion: the prefix and the half-open period the value names."""

    prefix: str
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        """The same test as q(), on a value in hand."""
        if self.prefix == "eq":
            return self.start <= moment < self.end
        if self.prefix in ("gt", "ge"):
            return moment >= (self.end if self.prefix == "gt" else self.start)
        return moment < (self.start if self.prefix == "lt" else self.end)

    def q(self, name: str) -> Q:
        if self.prefix == "eq":
            return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})
        if self.prefix in ("gt", "ge"):
            edge = self.end if self.prefix == "gt" else self.start
            return Q(**{f"{name}__gte": edge})
        edge = self.start if self.prefix == "lt" else self.end
        return Q(**{f"{name}__lt": edge})


@dataclass(frozen=True)
class Token:
    """One value of a token parameter (R4 search 3.1.1.4.8): `system|code`, `|code` (a code
    with no system), `code` (any system: `system` is None) or `system|` (any code: "")."""

    system: str | None
    code: str


@dataclass(frozen=True)
class SearchQuery:
    """The criteria of a search. Each list parameter holds one tuple per occurrence of the
    parameter: a resource matches any value of each (a comma is OR) and every occurrence (a
    repeated parameter is AND), as FHIR search composes them (R4 search 3.1.1.3.2); the
    dates are ANDed the same way, one range per occurrence."""

    ids: tuple[tuple[str, ...], ...] = ()
    identifiers: tuple[tuple[Token, ...], ...] = ()
    patients: tuple[tuple[int, ...], ...] = ()
    dates: tuple[Range, ...] = ()
    statuses: tuple[tuple[str, ...], ...] = ()
    urls: tuple[tuple[str, ...], ...] = ()
    updated: tuple[Range, ...] = ()
    count: int = DEFAULT_COUNT
    offset: int = 0
    has: frozenset[str] = field(default_factory=frozenset)


def _values(query: QueryDict, name: str) -> tuple[tuple[str, ...], ...]:
    """One tuple of values per occurrence of the parameter (its comma-separated values); an
    occurrence with no value is ignored, as before."""
    groups = []
    for raw in query.getlist(name):
        values = tuple(part.strip() for part in raw.split(",") if part.strip())
        if values:
            groups.append(values)
    return tuple(groups)


def _token(text: str, name: str) -> Token:
    if len(text) > MAX_TOKEN:
        raise FhirError(
            400,
            _("%(name)s has at most %(max)d characters.") % {"name": name, "max": MAX_TOKEN},
            expression=name,
        )
    system, bar, code = text.partition("|")
    if not bar:
        return Token(None, text)
    if not system.strip() and not code.strip():
        raise FhirError(
            400,
            _("%(name)s needs a value: system|value or value.") % {"name": name},
            expression=name,
        )
    return Token(system.strip(), code.strip())


def _tokens(query: QueryDict, name: str) -> tuple[tuple[Token, ...], ...]:
    """A token parameter's values; an empty one is a 400, since ignored it would widen the
    search to every record."""
    groups = []
    for raw in query.getlist(name):
        values = [part.strip() for part in raw.split(",") if part.strip()]
        if not values:
            raise FhirError(
                400,
                _("%(name)s needs a value: system|value or value.") % {"name": name},
                expression=name,
            )
        groups.append(tuple(_token(value, name) for value in values))
    return tuple(groups)


def _integer(text: str, name: str, low: int, high: int) -> int:
    if not text.isascii() or not text.isdecimal() or not low <= int(text) <= high:
        raise FhirError(
            400,
            _("%(name)s must be a whole number from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high},
            expression=name,
        )
    return int(text)


def _reference_id(text: str) -> int:
    pk = text.removeprefix("Patient/")
    if not pk.isascii() or not pk.isdecimal() or not 0 < int(pk) < 2**63:
        raise FhirError(
            400,
            _("%(name)s must be a Patient id or reference (Patient/ID).") % {"name": "patient"},
            expression="patient",
        )
    return int(pk)


def _period(text: str, name: str) -> tuple[datetime, datetime]:
    """The period a FHIR date or instant names (a day is its 24 hours in UTC)."""
    try:
        if len(text) == 4:
            start = datetime(int(text), 1, 1, tzinfo=UTC)
            return start, start.replace(year=start.year + 1)
        if len(text) == 7:
            day = date.fromisoformat(f"{text}-01")
            start = datetime.combine(day, time(), UTC)
            following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
            return start, datetime.combine(following, time(), UTC)
        if len(text) == 10:
            start = datetime.combine(date.fromisoformat(text), time(), UTC)
            return start, start + timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FhirError(
            400,
            _("%(name)s must be a FHIR date or an instant with a time zone.") % {"name": name},
            expression=name,
        )
    return moment, moment + timedelta(seconds=1)


def _ranges(query: QueryDict, name: str) -> tuple[Range, ...]:
    ranges = []
    for raw in query.getlist(name):
        text = raw.strip()
        prefix = text[:2] if text[:2] in PREFIXES else "eq"
        value = text[2:] if text[:2] in PREFIXES else text
        start, end = _period(value, name)
        ranges.append(Range(prefix, start, end))
    return tuple(ranges)


def parse_search(query: QueryDict) -> SearchQuery:
    count = query.get("_count", "").strip()
    offset = query.get("_offset", "").strip()
    return SearchQuery(
        ids=_values(query, "_id"),
        identifiers=_tokens(query, "identifier"),
        patients=tuple(
            tuple(_reference_id(value) for value in values) for values in _values(query, "patient")
        ),
        dates=_ranges(query, "date"),
        statuses=_values(query, "status"),
        urls=_values(query, "url"),
        updated=_ranges(query, "_lastUpdated"),
        count=_integer(count, "_count", 0, MAX_COUNT) if count else DEFAULT_COUNT,
        offset=_integer(offset, "_offset", 0, MAX_OFFSET) if offset else 0,
        has=frozenset(name for name in COMMON if name in query),
    )


def parse_since(text: str) -> datetime | None:
    """Bulk export's _since: an instant (with its time zone) or a date."""
    text = text.strip()
    return _period(text, "_since")[0] if text else None
