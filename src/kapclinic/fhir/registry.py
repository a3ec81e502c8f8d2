"""Every resource type the API serves, by name."""

from kapclinic.fhir.resources.adverse_event import ADVERSE_EVENT
from kapclinic.fhir.resources.appointment import APPOINTMENT
from kapclinic.fhir.resources.audit_event import AUDIT_EVENT
from kapclinic.fhir.resources.base import ResourceType
from kapclinic.fhir.resources.care_plan import CARE_PLAN
from kapclinic.fhir.resources.consent import CONSENT
from kapclinic.fhir.resources.directory import LOCATION, ORGANIZATION, PRACTITIONER
from kapclinic.fhir.resources.document import DOCUMENT_REFERENCE
from kapclinic.fhir.resources.episode import EPISODE_OF_CARE
from kapclinic.fhir.resources.invoice import INVOICE
from kapclinic.fhir.resources.medication import MEDICATION_ADMINISTRATION, MEDICATION_REQUEST
from kapclinic.fhir.resources.observation import OBSERVATION
from kapclinic.fhir.resources.patient import PATIENT
from kapclinic.fhir.resources.questionnaire import QUESTIONNAIRE, QUESTIONNAIRE_RESPONSE
from kapclinic.fhir.resources.referral import SERVICE_REQUEST, TASK

RESOURCES: dict[str, ResourceType] = {
    kind.name: kind
    for kind in (
        PATIENT,
        PRACTITIONER,
        ORGANIZATION,
        LOCATION,
        SERVICE_REQUEST,
        TASK,
        APPOINTMENT,
        OBSERVATION,
        QUESTIONNAIRE,
        QUESTIONNAIRE_RESPONSE,
        MEDICATION_REQUEST,
        MEDICATION_ADMINISTRATION,
        ADVERSE_EVENT,
        CONSENT,
        EPISODE_OF_CARE,
        CARE_PLAN,
        DOCUMENT_REFERENCE,
        INVOICE,
        AUDIT_EVENT,
    )
}
