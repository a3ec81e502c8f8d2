"""Configuration checks for the audit chain, with stable ids."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def audit_key_configured(**kwargs: Any) -> list[Warning]:
    if settings.AUDIT_KEY:
        return []
    return [
        Warning(
            "The audit chain is keyed with a demo key file in KAPCLINIC_VAR_DIR.",
            hint="Set KAPCLINIC_AUDIT_KEY (kept outside the database) in production.",
            id="kapclinic.audit.W001",
        )
    ]
