from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kapclinic.accounts"

    def ready(self) -> None:
        from kapclinic.accounts import checks, signals  # noqa: F401  (registers checks, login audit)
