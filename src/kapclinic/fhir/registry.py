"""Every resource type the API serves, by name."""

from kapclinic.fhir.resources.base import ResourceType
from kapclinic.fhir.resources.directory import LOCATION, ORGANIZATION, PRACTITIONER
from kapclinic.fhir.resources.patient import PATIENT

RESOURCES: dict[str, ResourceType] = {
    kind.name: kind
    for kind in (
        PATIENT,
        PRACTITIONER,
        ORGANIZATION,
        LOCATION,
    )
}
