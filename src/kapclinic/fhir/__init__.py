"""FHIR R4 facade: maps kapclinic's records to FHIR resources and back, above the domain apps."""
