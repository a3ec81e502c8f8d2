from django.apps import AppConfig


class DosingConfig(AppConfig):
    name = "kapclinic.dosing"

    def ready(self) -> None:
        from kapclinic.dosing import checks  # noqa: F401 (registers the checks)
