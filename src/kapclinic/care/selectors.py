"""Reads for care: where a person is on their journey, what they consented to, what to read."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kapclinic.access import child_of
from kapclinic.accounts.models import User
from kapclinic.audit.models import Action
from kapclinic.audit.services import record_event, record_page_read
from kapclinic.care.models import (
    Consent,
    ConsentText,
    Enrolment,
    JourneyTransition,
    MaterialAssignment,
)
from kapclinic.errors import NotFound


@dataclass
class Journey:
    enrolment: Enrolment | None
    timeline: list[JourneyTransition] = field(default_factory=list)
    materials: list[MaterialAssignment] = field(default_factory=list)

    @property
    def unread(self) -> list[MaterialAssignment]:
        return [m for m in self.materials if m.read_at is None]


def current_enrolment(patient: Any) -> Enrolment | None:
    """The patient's latest enrolment (the one their care follows now), or None."""
    return (
        Enrolment.objects.filter(patient=patient)
        .select_related("program", "enrolled_by")
        .order_by("-enrolled_at", "-id")
        .first()
    )


def timeline_of(patient: Any) -> Journey:
    """The latest enrolment with its moves (who and when), without its materials."""
    enrolment = current_enrolment(patient)
    if enrolment is None:
        return Journey(None)
    return Journey(enrolment, list(enrolment.transitions.select_related("by")))


def journey_of(patient: Any) -> Journey:
    """The latest enrolment with its moves (who and when) and assigned materials."""
    journey = timeline_of(patient)
    if journey.enrolment is not None:
        materials = journey.enrolment.materials.select_related("material", "read_recorded_by")
        journey.materials = list(materials)
    return journey


def journey_page(*, by: User, patient: Any) -> Journey:
    """The journey page's content: the journey, audited as a read of the patient."""
    journey = journey_of(patient)
    record_page_read(actor=by, patient=patient, page="journey")
    return journey


def valid_consent_kinds(patient: Any) -> set[str]:
    """The kinds of consent the patient has given and not withdrawn, in one query."""
    given = Consent.objects.filter(patient=patient, withdrawn_at__isnull=True)
    return set(given.values_list("kind", flat=True))


def consents_of(patient: Any) -> list[Consent]:
    return list(Consent.objects.filter(patient=patient).select_related("recorded_by"))


def consents_page(*, by: User, patient: Any) -> list[Consent]:
    """The consents page's list, audited as a read of the patient."""
    consents = consents_of(patient)
    record_page_read(actor=by, patient=patient, page="consents")
    return consents


def consent_document(*, by: User, patient: Any, consent_id: int | str) -> Consent:
    """A consent's signed PDF, opened through its patient; the opening is audited.

    Raises NotFound when the consent is not the patient's or has no document."""
    consent = child_of(patient, Consent.objects.select_related("patient"), consent_id)
    if not consent.document:
        raise NotFound(_("This consent has no signed document."))
    record_event(actor=by, action=Action.READ, patient=consent.patient, target=consent)
    return consent


def current_texts() -> dict[str, ConsentText]:
    """The newest published text of each kind of consent."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("kind", "-published_at", "-id"):
        texts.setdefault(text.kind, text)
    return texts
