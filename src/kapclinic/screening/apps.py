from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "kapclinic.screening"

    def ready(self) -> None:
        from kapclinic.screening import checks  # noqa: F401 (registers the checks)
