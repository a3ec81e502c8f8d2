"""Programs, enrolment, consents and the patient journey."""
