from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management commands (`kapclinic demo`, `kapclinic bench`)."""

    name = "kapclinic.demo"
