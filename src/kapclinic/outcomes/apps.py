from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "kapclinic.outcomes"
