from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "kapclinic.register"
    verbose_name = "Controlled-substance register"
