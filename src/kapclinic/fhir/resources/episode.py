"""EpisodeOfCare <- care.Enrolment: a patient's program, from enrolment to discharge."""

from typing import Any

from kapclinic.care.models import Enrolment
from kapclinic.clinical.journey import Stage
from kapclinic.fhir.resources.base import (
    Reader,
    ResourceType,
    instant,
    patient_ref,
    ref,
)
from kapclinic.fhir.resources.care_plan import enrolment_source

# Journey stage -> EpisodeOfCare.status (http://hl7.org/fhir/R4/valueset-episode-of-care-status.html)
EPISODE_STATUS = {
    Stage.CONNECT: "planned",
    Stage.PREPARE: "active",
    Stage.EXPERIENCE: "active",
    Stage.INTEGRATE: "active",
    Stage.RECONNECT: "active",
    Stage.DISCHARGED: "finished",
}


def episode(enrolment: Enrolment, reader: Reader) -> dict[str, Any]:
    return {
        "resourceType": "EpisodeOfCare",
        "status": EPISODE_STATUS[Stage(enrolment.stage)],
        "type": [{"text": enrolment.program.name("en")}],
        "patient": patient_ref(enrolment.patient),
        "managingOrganization": ref("Organization", enrolment.patient.clinic_id),
        "period": {"start": instant(enrolment.enrolled_at)},
    }


EPISODE_OF_CARE = ResourceType("EpisodeOfCare", (enrolment_source(episode, EPISODE_STATUS),))
