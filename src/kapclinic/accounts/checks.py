"""Configuration checks for access: the demo exemptions never reach production."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_is_off_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEMO and not settings.DEBUG:
        return [
            Error(
                "KAPCLINIC_DEMO is on while DEBUG is off: demo accounts could skip MFA.",
                hint="Unset KAPCLINIC_DEMO (or set it to false) in production.",
                id="kapclinic.accounts.E001",
            )
        ]
    return []
