"""The status codes FHIR R4 defines for each resource type's `status` (required bindings),
so that a search for a code the type can never have is refused by name, while a valid code
this server holds no row of is simply an empty page."""

# http://hl7.org/fhir/R4/valueset-request-status.html
REQUEST = ("draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown")
STATUS_CODES: dict[str, tuple[str, ...]] = {
    "ServiceRequest": REQUEST,
    "CarePlan": REQUEST,
    # http://hl7.org/fhir/R4/valueset-task-status.html
    "Task": (
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    ),
    # http://hl7.org/fhir/R4/valueset-appointmentstatus.html
    "Appointment": (
        "proposed",
        "pending",
        "booked",
        "arrived",
        "fulfilled",
        "cancelled",
        "noshow",
        "entered-in-error",
        "checked-in",
        "waitlist",
    ),
    # http://hl7.org/fhir/R4/valueset-observation-status.html
    "Observation": (
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    ),
    # http://hl7.org/fhir/R4/valueset-publication-status.html
    "Questionnaire": ("draft", "active", "retired", "unknown"),
    # http://hl7.org/fhir/R4/valueset-questionnaire-answers-status.html
    "QuestionnaireResponse": ("in-progress", "completed", "amended", "entered-in-error", "stopped"),
    # http://hl7.org/fhir/R4/valueset-medicationrequest-status.html
    "MedicationRequest": (
        "active",
        "on-hold",
        "cancelled",
        "completed",
        "entered-in-error",
        "stopped",
        "draft",
        "unknown",
    ),
    # http://hl7.org/fhir/R4/valueset-medication-admin-status.html
    "MedicationAdministration": (
        "in-progress",
        "not-done",
        "on-hold",
        "completed",
        "entered-in-error",
        "stopped",
        "unknown",
    ),
    # http://hl7.org/fhir/R4/valueset-consent-state-codes.html
    "Consent": ("draft", "proposed", "active", "rejected", "inactive", "entered-in-error"),
    # http://hl7.org/fhir/R4/valueset-episode-of-care-status.html
    "EpisodeOfCare": (
        "planned",
        "waitlist",
        "active",
        "onhold",
        "finished",
        "cancelled",
        "entered-in-error",
    ),
    # http://hl7.org/fhir/R4/valueset-document-reference-status.html
    "DocumentReference": ("current", "superseded", "entered-in-error"),
    # http://hl7.org/fhir/R4/valueset-invoice-status.html
    "Invoice": ("draft", "issued", "balanced", "cancelled", "entered-in-error"),
    # http://hl7.org/fhir/R4/valueset-location-status.html
    "Location": ("active", "suspended", "inactive"),
}
