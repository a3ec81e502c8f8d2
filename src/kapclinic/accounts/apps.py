from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kapclinic.accounts"

    def ready(self) -> None:
        from kapclinic import labels
        from kapclinic.accounts import (  # noqa: F401  (registers checks, login audit, idle clock)
            checks,
            idle,
            signals,
        )
        from kapclinic.accounts.roles import Role

        labels.name_kind("role", {role.value: role.label for role in Role})  # |label:"role"
