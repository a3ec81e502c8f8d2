from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "kapclinic.screening"
