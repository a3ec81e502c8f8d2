from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "kapclinic.fhir"
    verbose_name = "FHIR R4"
