"""Configuration checks for access: the demo exemptions never reach production."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from kapclinic.accounts.models import CredentialKind
from kapclinic.accounts.roles import Role


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


@register()
def required_credentials_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """KAPCLINIC_REQUIRED_CREDENTIALS: each role names credential kinds kapclinic knows."""
    required = settings.REQUIRED_CREDENTIALS
    kinds = set(CredentialKind.values)
    problem = ""
    if not isinstance(required, dict):
        problem = f"expected a JSON object, got {type(required).__name__}"
    else:
        for role, listed in required.items():
            if role not in Role.values:
                problem = f"unknown role {role!r}"
            elif not isinstance(listed, list) or not all(k in kinds for k in map(str, listed)):
                problem = f"the credentials of {role!r} must be a list of {sorted(kinds)}"
            if problem:
                break
    if not problem:
        return []
    return [
        Error(
            f"KAPCLINIC_REQUIRED_CREDENTIALS is not valid: {problem}.",
            hint='Give a JSON object of role to credential kinds, e.g. {"nurse": ["licence"]}.',
            id="kapclinic.accounts.E002",
        )
    ]
