from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "kapclinic.recordings"

    def ready(self) -> None:
        from kapclinic.recordings import checks  # noqa: F401 (registers the checks)
