"""Writing audit events. Every service and selector that touches health data calls these."""

import logging
from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction

from kapclinic.audit import context
from kapclinic.audit.chain import event_mac, seal_pending
from kapclinic.audit.models import Action, AuditEvent, Outcome

logger = logging.getLogger(__name__)
# How far behind the last sealed event the after-commit step looks for stragglers.
AFTER_COMMIT_WINDOW = 1000


class Actor(Protocol):
    """Who acted, as the trail records them: an accounts.User, named by its shape because
    audit sits below accounts (which writes to the trail too) and may not import it."""

    @property
    def email(self) -> str: ...
    @property
    def role(self) -> str: ...


def _actor_fields(actor: Actor | AnonymousUser | None) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "", "role": ""}
    user = cast(Actor, actor)
    return {"actor": user, "actor_label": user.email, "role": user.role}


def _target_fields(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"object_type": "", "object_id": ""}
    return {"object_type": target._meta.label_lower, "object_id": str(target.pk)}


def _request_fields() -> dict[str, Any]:
    ctx = context.current()
    return {"client_address": ctx.client_address, "request_id": ctx.request_id}


def _storable(value: Any) -> Any:
    """PostgreSQL refuses NUL in text and JSON: a request path may carry one (%00)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def seal_recent() -> None:
    """Seal what is pending near the head, unless another process is already at it."""
    try:
        seal_pending(wait=False, window=AFTER_COMMIT_WINDOW)
    except Exception:  # The events are stored; a later seal or the worker picks them up.
        logger.exception("audit sealing deferred")


def _seal_soon() -> None:
    """After commit, seal; within a request, once after its response is sent (see
    middleware.seal_after_response), so that nobody waits on the chain to see their page."""

    def seal() -> None:
        if not context.defer_seal():
            seal_recent()

    transaction.on_commit(seal)


def record_event(
    *,
    actor: Actor | AnonymousUser | None,
    action: Action,
    patient: Any = None,
    target: models.Model | None = None,
    reason: str = "",
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the work)."""
    event = AuditEvent(
        **_actor_fields(actor),
        **_target_fields(target),
        **_request_fields(),
        patient=patient,
        action=action,
        outcome=outcome,
        reason=_storable(reason),
        detail=_storable(detail or {}),
    )
    event.mac = event_mac(event)
    event.save(force_insert=True)
    _seal_soon()
    return event


def record_page_read(*, actor: Actor, patient: Any, page: str) -> AuditEvent:
    """A page about one patient was shown to `actor` (the journey, the consents, ...)."""
    return record_event(actor=actor, action=Action.READ, patient=patient, detail={"view": page})


def record_list_read(
    *, actor: Actor, action: Action, name: str, patient_ids: Iterable[int], **detail: Any
) -> AuditEvent:
    """One event for a page of a list, naming the patients it showed (`detail["patients"]`,
    which audit_review.selectors.events_about reads for the access report); `name` is the
    list's code, labelled in labels.LISTS."""
    shown = sorted(set(patient_ids))
    return record_event(
        actor=actor, action=action, detail={"list": name, **detail, "patients": shown}
    )


def record_patient_reads(
    *, actor: Actor, patients: Iterable[Any], action: Action, detail: dict[str, Any] | None = None
) -> int:
    """One event per patient, in a single insert: an export, which discloses each record (a
    page of a list is one event naming its patients instead: record_list_read)."""
    shown = [(patient, patient) for patient in patients]
    return record_reads(actor=actor, shown=shown, action=action, detail=detail)


def record_reads(
    *,
    actor: Actor,
    shown: Iterable[tuple[Any, models.Model]],
    action: Action,
    detail: dict[str, Any] | None = None,
) -> int:
    """One event per (patient or None, object) a list shows, in a single insert. A row about a
    patient not yet on record (a referral's draft) names the object it was read from."""
    common = {**_actor_fields(actor), **_request_fields(), "action": action}
    events = [
        AuditEvent(**common, **_target_fields(target), patient=patient, detail=detail or {})
        for patient, target in shown
    ]
    for event in events:
        event.mac = event_mac(event)
    AuditEvent.objects.bulk_create(events)
    if events:
        _seal_soon()
    return len(events)
