from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kapclinic.accounts"

    def ready(self) -> None:
        from kapclinic.accounts import signals  # noqa: F401  (connects the login audit)
