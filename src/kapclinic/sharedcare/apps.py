from django.apps import AppConfig


class SharedcareConfig(AppConfig):
    name = "kapclinic.sharedcare"
