"""Reads for care: where a person is on their journey, what they consented to, what to read."""

from dataclasses import dataclass, field
from typing import Any

from kapclinic.care.models import (
    Consent,
    ConsentText,
    Enrolment,
    JourneyTransition,
    MaterialAssignment,
)


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


def valid_consent_kinds(patient: Any) -> set[str]:
    """The kinds of consent the patient has given and not withdrawn, in one query."""
    given = Consent.objects.filter(patient=patient, withdrawn_at__isnull=True)
    return set(given.values_list("kind", flat=True))


def consents_of(patient: Any) -> list[Consent]:
    return list(Consent.objects.filter(patient=patient).select_related("recorded_by"))


def current_texts() -> dict[str, ConsentText]:
    """The newest published text of each kind of consent."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("kind", "-published_at", "-id"):
        texts.setdefault(text.kind, text)
    return texts
