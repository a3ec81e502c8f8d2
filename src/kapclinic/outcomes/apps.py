from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "kapclinic.outcomes"

    def ready(self) -> None:
        from kapclinic.outcomes import receivers  # noqa: F401  (schedules each new enrolment)
