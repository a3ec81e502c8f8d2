"""The facade's selectors: read and search any mapped type, with the read audit the web UI
writes (one event per page of results naming its patients, one per record opened)."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import Role
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_list_read
from kapclinic.errors import NotFound, NotPermitted
from kapclinic.fhir.outcome import FhirError
from kapclinic.fhir.params import SearchQuery
from kapclinic.fhir.resources.base import (
    Reader,
    ResourceType,
    Source,
    instant,
    pruned,
    require_role,
)
from kapclinic.patients.models import Patient

MAX_ID = 64  # characters of a resource id (FHIR R4 datatypes: id is at most 64)


@dataclass(frozen=True)
class Found:
    """One page of a search: the resources, the total, and the patients they are about."""

    resources: list[dict[str, Any]]
    total: int


def positive_id(text: str) -> int:
    """A numeric id from a URL; 404 for anything else (as for an id that does not exist)."""
    if not text.isascii() or not text.isdecimal() or not 0 < int(text) < 2**63:
        raise NotFound(_("No such record was found."))
    return int(text)


def _pk_for(source: Source, resource_id: str) -> int | None:
    if not resource_id.startswith(source.prefix):
        return None
    text = resource_id.removeprefix(source.prefix)
    if not text.isascii() or not text.isdecimal() or not 0 < int(text) < 2**63:
        return None
    return int(text)


def _status(source: Source, statuses: tuple[str, ...]) -> Q | None:
    """The rows with any of `statuses` (one `status` parameter's values)."""
    if not source.status_field:  # every row has the one status
        return Q() if source.fixed_status in statuses else None
    matching = Q(pk__in=[])
    for value in (v for code in statuses for v in source.statuses.get(code, ())):
        matching |= Q(**{source.status_field: value})
    return matching


def _with_statuses(source: Source, query: SearchQuery) -> Q | None:
    """The rows matching every `status` parameter; None when one rules the source out."""
    condition = Q()
    for statuses in query.statuses:
        matching = _status(source, statuses)
        if matching is None:
            return None
        condition &= matching
    return condition


def _identified(source: Source, query: SearchQuery) -> Q | None:
    """The rows matching every `identifier` parameter (each: any of its values); None when
    the query names an identifier and the source has none."""
    condition = Q()
    if not query.identifiers:
        return condition
    if source.identifier is None:
        return None
    for values in query.identifiers:
        matching = Q(pk__in=[])
        for token in values:
            matching |= source.identifier.matching(token)
        condition &= matching
    return condition


def _filter(source: Source, query: SearchQuery) -> Q | None:
    """The source's rows matching the query; None when a parameter rules the source out."""
    condition = Q()
    if query.urls:  # only definitions have a canonical URL
        return None
    for ids in query.ids:  # each `_id` parameter: any of its ids; every parameter
        pks = [pk for pk in (_pk_for(source, i) for i in ids) if pk is not None]
        if not pks:
            return None
        condition &= Q(pk__in=pks)
    identified = _identified(source, query)
    if identified is None:
        return None
    condition &= identified
    for wanted, column in (
        (query.patients, source.patient),
        (query.dates, source.date),
        (query.updated, source.updated),
    ):
        if wanted and not column:
            return None
    condition &= _about_patients(source, query)
    for period in query.dates:
        condition &= period.q(source.date)
    for period in query.updated:
        condition &= period.q(source.updated)
    status = _with_statuses(source, query)
    return None if status is None else condition & status


def _about_patients(source: Source, query: SearchQuery) -> Q:
    """`patient=`: each repeat ANDs, its commas OR; a source with rows_about reads its rows
    about them already (_rows)."""
    condition = Q()
    if source.rows_about is None:
        for patients in query.patients:
            condition &= Q(**{f"{source.patient}__in": patients})
    return condition


def _rows(source: Source, user: User, patients: tuple[tuple[int, ...], ...] = ()) -> QuerySet[Any]:
    """The source's rows `user` may see (about `patients`, where the source says how to find
    them: Source.rows_about; each group ORs its ids, the groups AND): model instances with
    what the mapper follows, or plain rows of the columns it declares (Source.values)."""
    if patients and source.rows_about is not None:
        first, *more = patients
        rows = source.rows_about(user, first)
        for group in more:
            rows = rows.filter(pk__in=source.rows_about(user, group).values("pk"))
    else:
        rows = source.rows(user)
    if source.annotations:
        rows = rows.annotate(**{name: make() for name, make in source.annotations.items()})
    if source.values:
        extra = [c for c in (source.patient, source.updated) if c and c != "pk"]
        return rows.values("pk", *extra, *source.values)
    related = [*source.related, *([source.patient] if source.patient not in ("", "pk") else [])]
    return rows.select_related(*related) if related else rows


def _patient_of(source: Source, row: Any) -> Any:
    """The patient a row is about (for the audit trail), or None."""
    if isinstance(row, dict):  # a plain row: the patient's key is enough to audit
        if not source.patient:
            return None
        key = row["pk" if source.patient == "pk" else source.patient]
        return None if key is None else Patient(pk=key)
    if source.patient == "pk":  # the row is the patient
        return row
    return attrgetter(source.patient.replace("__", "."))(row) if source.patient else None


def _target(rows: QuerySet[Any], row: Any) -> Any:
    """The record a row is read from, as the audit trail names it."""
    return rows.model(pk=row["pk"]) if isinstance(row, dict) else row


def _as_fhir(source: Source, row: Any, reader: Reader) -> dict[str, Any]:
    plain = isinstance(row, dict)
    resource: dict[str, Any] = {
        "resourceType": "",
        "id": f"{source.prefix}{row['pk'] if plain else row.pk}",
    }
    if source.updated:
        if plain:
            moment = row[source.updated]
        else:
            moment = attrgetter(source.updated.replace("__", "."))(row)
        resource["meta"] = {"lastUpdated": instant(moment)}
    return pruned({**resource, **source.to_fhir(row, reader)})


def _definitions(by: User, catalog: Callable[[], Iterable[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A catalog type's resources: definitions, not health data, for any active user."""
    require_role(by, frozenset(Role))
    return [pruned(resource) for resource in catalog()]


def _listed(resource: dict[str, Any], query: SearchQuery) -> bool:
    if query.patients or query.dates:  # a definition is about no patient and has no date
        return False
    updated = datetime.fromisoformat(resource["meta"]["lastUpdated"])
    return (
        all(resource["id"] in ids for ids in query.ids)
        and all(resource["status"] in statuses for statuses in query.statuses)
        and all(resource["url"] in urls for urls in query.urls)
        and all(period.contains(updated) for period in query.updated)
    )


def _check_statuses(kind: ResourceType, query: SearchQuery) -> None:
    """A status code the type never has is a mistake to name (400), not an empty page."""
    allowed = kind.status_codes
    named = dict.fromkeys(code for statuses in query.statuses for code in statuses)
    unknown = [code for code in named if code not in allowed]
    if unknown and allowed:
        raise FhirError(
            400,
            _("status %(unknown)s is not a %(kind)s status; use one of: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "kind": kind.name, "allowed": ", ".join(allowed)},
            expression="status",
        )


def _check_identifier_reader(kind: ResourceType, query: SearchQuery, reader: Reader) -> None:
    """A search by identifier needs the right to read the identifier (403 otherwise): the
    match alone would tell whose number it is."""
    parts = {s.identifier.part for s in kind.sources if s.identifier is not None}
    if query.identifiers and not all(reader.may_read(part) for part in parts):
        raise NotPermitted(
            _("Your role does not read patients' health numbers, so it cannot search by them.")
        )


def search(*, by: User, kind: ResourceType, query: SearchQuery, detail: str = "") -> Found:
    """One page of `kind` that `by` may see, matching `query`; every patient shown audited."""
    _check_statuses(kind, query)
    if kind.catalog is not None:
        matching = [r for r in _definitions(by, kind.catalog) if _listed(r, query)]
        return Found(matching[query.offset : query.offset + query.count], len(matching))
    reader = Reader.of(by)
    _check_identifier_reader(kind, query, reader)
    selections = []
    for source in kind.sources:
        rows = _rows(source, by, query.patients)
        condition = _filter(source, query)
        if condition is not None:
            selections.append((source, rows.filter(condition).order_by("pk")))
    total = sum(rows.count() for _source, rows in selections)
    resources: list[dict[str, Any]] = []
    patients: set[int] = set()
    skip, left = query.offset, query.count
    for source, rows in selections:
        if left <= 0:
            break
        size = rows.count() if skip else None
        if size is not None and skip >= size:
            skip -= size
            continue
        for row in rows[skip : skip + left]:
            resources.append(_as_fhir(source, row, reader))
            if (patient_id := _patient_id(source, row)) is not None:
                patients.add(patient_id)
        left, skip = query.count - len(resources), 0
    _audit_search(by, kind, patients, detail)
    return Found(resources, total)


def _audit_search(by: User, kind: ResourceType, patients: set[int], detail: str) -> None:
    """One event for the page of results: naming its patients, as the web UI's lists (the
    access report finds each one in it: audit_review.selectors.events_about)."""
    if kind.audit_always:  # the trail itself: one event for the search, as /audit/ writes
        record_event(actor=by, action=Action.SEARCH, detail={"fhir": kind.name, "query": detail})
    elif patients:
        record_list_read(
            actor=by, action=Action.SEARCH, name="fhir_search", patient_ids=patients, fhir=kind.name
        )


def read(*, by: User, kind: ResourceType, resource_id: str) -> dict[str, Any]:
    """One resource by id, if `by` may see it (404 otherwise: no hint that it exists)."""
    if len(resource_id) > MAX_ID:
        raise FhirError(
            400,
            _("A resource id has at most %(max)d characters.") % {"max": MAX_ID},
        )
    if kind.catalog is not None:
        for resource in _definitions(by, kind.catalog):
            if resource["id"] == resource_id:
                return resource
        raise NotFound(_("No such record was found."))
    reader = Reader.of(by)
    for source in kind.sources:
        pk = _pk_for(source, resource_id)
        rows = _rows(source, by)
        row = rows.filter(pk=pk).first() if pk else None
        if row is not None:
            patient = _patient_of(source, row)
            record_event(
                actor=by,
                action=Action.READ,
                patient=patient,
                target=_target(rows, row),
                detail={"fhir": kind.name},
            )
            return _as_fhir(source, row, reader)
    raise NotFound(_("No such record was found."))


def _patient_id(source: Source, row: Any) -> int | None:
    """The key of the patient a row is about; None for a row about nobody on record yet (a
    referral not matched to a patient)."""
    patient = _patient_of(source, row)
    return None if patient is None else int(patient.pk)


def export_rows(
    *, by: User, kind: ResourceType, patient_id: int | None, since: datetime | None
) -> Iterator[tuple[dict[str, Any], int | None]]:
    """Every resource of `kind` that `by` may see (of one patient, changed since), with the
    key of the patient it is about; the caller audits the export. Read in batches: plain rows
    where the mapping declares its columns, else model instances with what they follow."""
    reader = Reader.of(by)
    for source in kind.sources:
        if patient_id is not None and not source.patient:
            continue
        rows = _rows(source, by).order_by("pk")
        if patient_id is not None:
            rows = rows.filter(**{source.patient: patient_id})
        if since is not None and source.updated:
            rows = rows.filter(**{f"{source.updated}__gte": since})
        for row in rows.iterator(chunk_size=2000):
            yield _as_fhir(source, row, reader), _patient_id(source, row)
