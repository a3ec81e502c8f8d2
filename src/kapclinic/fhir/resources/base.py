"""What a resource mapping declares: where its rows come from, who may see them, how each row
becomes a FHIR resource, and which columns the common search parameters filter on."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.errors import NotPermitted
from kapclinic.fhir.params import Token
from kapclinic.fhir.statuses import STATUS_CODES
from kapclinic.patients.access import chart_fields, visible_patients

# The code system of LOINC codes (observations, document types).
LOINC = "http://loinc.org"

type Rows = Callable[[User], QuerySet[Any]]
# The rows `user` may see about any of these patients, for a source where the patient column
# alone misses some (the audit trail's list events name their patients in their detail).
type RowsAbout = Callable[[User, tuple[int, ...]], QuerySet[Any]]


@dataclass(frozen=True)
class Reader:
    """Who the resource is written for: some elements depend on the reader's role."""

    user: User
    fields: frozenset[str]

    @classmethod
    def of(cls, user: User) -> "Reader":
        own_record = user.role == Role.PATIENT
        return cls(user, frozenset({"*"}) if own_record else chart_fields(user))

    def may_read(self, part: str) -> bool:
        return "*" in self.fields or part in self.fields


@dataclass(frozen=True)
class IdentifierSearch:
    """How a source's rows match an `identifier` token, and the part of the chart
    (patients.access.CHART_FIELDS) a reader must read to search by it: a search by a value
    one may not read would tell whose it is."""

    matching: Callable[[Token], Q]
    part: str


@dataclass(frozen=True)
class Source:
    """One table a FHIR resource type is read from (Observation has several)."""

    rows: Rows
    to_fhir: Callable[[Any, Reader], dict[str, Any]]
    # id = prefix + primary key ("bp-12"); empty for a type with one source.
    prefix: str = ""
    # Field paths the common parameters filter on; empty when the parameter does not apply.
    patient: str = ""
    date: str = ""
    updated: str = ""
    status_field: str = ""
    # FHIR status code -> the stored values of status_field (a lookup) it stands for.
    statuses: Mapping[str, tuple[object, ...]] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    # The status of every row, for a source without a status column (a vital sign is final).
    fixed_status: str = ""
    # Computed columns the rows are annotated with (name -> expression factory), such as the
    # moment of the record's last change that `updated` then names (see `last_change`).
    annotations: Mapping[str, Callable[[], Any]] = field(default_factory=dict)
    # The columns `to_fhir` reads, when it maps a plain row (a dict from `.values()`) rather
    # than a model instance: such a source is read in batches of rows, without building a
    # model per row (the bulk export's path). "pk", `patient` and `updated` come with them.
    values: tuple[str, ...] = ()
    # The `identifier` search parameter, where the type has identifiers to search by.
    identifier: IdentifierSearch | None = None
    # Where a search by patient reads, instead of `rows` filtered on the `patient` column.
    rows_about: RowsAbout | None = None


@dataclass(frozen=True)
class ResourceType:
    name: str
    sources: tuple[Source, ...]
    # The audit trail itself: a search is audited even when it shows no patient.
    audit_always: bool = False
    # Definitions kept in code (Questionnaire), not rows: every resource of the type, read by
    # any user with a token and searched in memory; such a type has no sources.
    catalog: Callable[[], tuple[dict[str, Any], ...]] | None = None

    @property
    def params(self) -> tuple[str, ...]:
        found = ["_id", "_count", "_lastUpdated"]
        if self.catalog is not None:
            return (*found, "status", "url")
        if any(s.identifier for s in self.sources):
            found.append("identifier")
        if any(s.patient for s in self.sources):
            found.append("patient")
        if any(s.date for s in self.sources):
            found.append("date")
        if any(s.status_field or s.fixed_status for s in self.sources):
            found.append("status")
        return tuple(found)

    @property
    def status_codes(self) -> tuple[str, ...]:
        """The FHIR status codes a `status` search of this type may name: the type's R4
        value set, or the codes its sources hold where this server has no value set for it."""
        if self.name in STATUS_CODES:
            return STATUS_CODES[self.name]
        if self.catalog is not None:
            return tuple(sorted({str(r["status"]) for r in self.catalog() if r.get("status")}))
        codes = {code for s in self.sources for code in s.statuses}
        codes |= {s.fixed_status for s in self.sources if s.fixed_status}
        return tuple(sorted(codes))


def require_role(user: User, roles: frozenset[Role]) -> None:
    """Deny by default: only the listed roles read this resource type at all."""
    if not user.is_active or user.role not in roles:
        raise NotPermitted(_("Your role does not give access to these records."))


def clinical_rows[M: Model](model: type[M], patient: str = "patient") -> Rows:
    """Rows about patients: the clinical roles, and only patients they may open (a therapist
    only those of their care team), like the chart's clinical pages."""

    def rows(user: User) -> QuerySet[M]:
        require_role(user, CLINICAL_ROLES)
        return model._default_manager.filter(**{f"{patient}__in": visible_patients(user)})

    return rows


LAST_CHANGE = "fhir_last_change"


def last_change(created: str, *later: Callable[[], Any]) -> dict[str, Callable[[], Any]]:
    """The annotation of a record's last change: the latest of its creation and of the later
    moments (a changed column, the newest row of its history), each missing one ignored.
    Name it as a Source's `updated`, with these as its `annotations`."""

    def expression() -> Any:
        base = F(created)
        return Greatest(base, *(Coalesce(moment(), base) for moment in later))

    return {LAST_CHANGE: expression}


def column(name: str) -> Callable[[], Any]:
    return lambda: F(name)


def newest(
    rows: Callable[[], QuerySet[Any]], moment: str, parent: str, outer: str = "pk"
) -> Callable[[], Any]:
    """The latest `moment` of the rows whose `parent` is the record's `outer` column (its
    history, its moves, what superseded it)."""

    def expression() -> Subquery[Any]:
        found = rows().filter(**{parent: OuterRef(outer)}).order_by(f"-{moment}")
        return Subquery(found.values(moment)[:1])

    return expression


def instant(moment: datetime | None) -> str | None:
    """A FHIR instant (UTC, seconds, Z)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def ref(resource_type: str, pk: object) -> dict[str, str]:
    return {"reference": f"{resource_type}/{pk}"}


def patient_ref(patient: Any) -> dict[str, str]:
    return {"reference": f"Patient/{patient.pk}", "display": patient.display_name}


def patient_columns(path: str) -> tuple[str, ...]:
    """The columns `patient_ref_of` reads from a plain row, the patient at `path`."""
    return tuple(f"{path}__{name}" for name in PATIENT_NAME)


PATIENT_NAME = ("preferred_name", "legal_given_name", "legal_family_name")


def patient_ref_of(row: Mapping[str, Any], path: str) -> dict[str, str]:
    """patient_ref from a plain row (Patient.display_name: preferred or given, and family)."""
    given = row[f"{path}__preferred_name"] or row[f"{path}__legal_given_name"]
    return {
        "reference": f"Patient/{row[path]}",
        "display": f"{given} {row[f'{path}__legal_family_name']}",
    }


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def pruned(resource: dict[str, Any]) -> dict[str, Any]:
    """FHIR JSON has no nulls and no empty arrays or strings: drop them, recursively."""
    clean: dict[str, Any] = {}
    for key, value in resource.items():
        kind = type(value)
        if kind is dict:
            value = pruned(value)
        elif kind is list:
            value = [pruned(v) if type(v) is dict else v for v in value]
            value = [v for v in value if v is not None and v != "" and v != {} and v != []]
        elif value is None or (kind is str and not value):
            continue
        if value or value is False or value == 0:
            clean[key] = value
    return clean
