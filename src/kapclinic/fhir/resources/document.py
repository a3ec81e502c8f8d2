"""DocumentReference <- sharedcare.Letter: the letters released to the referring professional
(drafts are not documents yet), the PDF as sent with its hash."""

import base64
import hashlib
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from kapclinic.accounts.models import User
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.fhir.resources.base import (
    LAST_CHANGE,
    LOINC,
    Reader,
    ResourceType,
    Source,
    coding,
    column,
    instant,
    last_change,
    patient_ref,
    ref,
    require_role,
)
from kapclinic.patients.access import visible_patients
from kapclinic.sharedcare.access import SENT, letters_for_referrer
from kapclinic.sharedcare.models import Letter, LetterKind, LetterStatus

# LOINC document types: 11506-3 Progress note, 18842-5 Discharge summary, 51852-2 Letter.
DOCUMENT_TYPE = {
    LetterKind.PROGRESS: ("11506-3", "Progress note"),
    LetterKind.DISCHARGE: ("18842-5", "Discharge summary"),
}
LETTER = ("51852-2", "Letter")


def letter_rows(user: User) -> QuerySet[Letter]:
    """The web UI's rule: clinical staff for the patients they may open, and the referring
    professional for the released letters addressed to them."""
    if user.role == Role.REFERRER:
        return letters_for_referrer(user)
    require_role(user, CLINICAL_ROLES)
    return Letter.objects.filter(patient__in=visible_patients(user), status__in=SENT)


def pdf_url(letter: Letter, reader: Reader) -> str:
    if reader.user.role == Role.REFERRER:
        return reverse("sharedcare:referrer_pdf", kwargs={"letter_id": letter.pk})
    return reverse(
        "sharedcare:pdf", kwargs={"patient_id": letter.patient_id, "letter_id": letter.pk}
    )


def document_reference(letter: Letter, reader: Reader) -> dict[str, Any]:
    kind = LetterKind(letter.kind)
    code, display = DOCUMENT_TYPE.get(kind, LETTER)
    pdf = bytes(letter.pdf)
    return {
        "resourceType": "DocumentReference",
        "status": "superseded" if letter.status == LetterStatus.SUPERSEDED else "current",
        "docStatus": "final" if letter.version == 1 else "amended",
        "type": {"coding": [coding(LOINC, code, display)], "text": str(kind.label)},
        "subject": patient_ref(letter.patient),
        "date": instant(letter.released_at),
        "author": [ref("Practitioner", letter.released_by_id)] if letter.released_by_id else [],
        "description": f"{kind.label} (v{letter.version})",
        "relatesTo": (
            [{"code": "replaces", "target": ref("DocumentReference", letter.supersedes_id)}]
            if letter.supersedes_id
            else []
        ),
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "language": letter.language,
                    "url": pdf_url(letter, reader),
                    "size": len(pdf),
                    # FHIR R4 attachment hash: base64 of the SHA-1 of the data (the letter
                    # also keeps its SHA-256, letter.pdf_sha256, in the audit trail).
                    "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode(),  # noqa: S324
                    "title": letter.filename,
                    "creation": instant(letter.released_at),
                }
            }
        ],
    }


DOCUMENT_REFERENCE = ResourceType(
    "DocumentReference",
    (
        Source(
            letter_rows,
            document_reference,
            patient="patient",
            date="released_at",
            updated=LAST_CHANGE,  # released, then perhaps superseded by a correction
            annotations=last_change("released_at", column("superseded_at")),
            status_field="status",
            statuses={
                "current": (LetterStatus.RELEASED,),
                "superseded": (LetterStatus.SUPERSEDED,),
            },
        ),
    ),
)
