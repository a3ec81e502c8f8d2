from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kapclinic.web"

    def ready(self) -> None:
        from kapclinic.web import timezones  # noqa: F401  (connects the sign-in receiver)
