from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "kapclinic.care"
