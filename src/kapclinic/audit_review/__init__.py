"""Reading the audit trail: the search, the patient-access report and the chain's status
(audit/ writes and seals the trail, below every app; these pages read roles and patients)."""
