"""Configuration checks for recordings, with stable ids."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def master_key_configured(**kwargs: Any) -> list[Warning]:
    if settings.RECORDINGS_KEY or settings.RECORDINGS_KMS:
        return []
    return [
        Warning(
            "Recordings are encrypted with a demo key file in KAPCLINIC_VAR_DIR.",
            hint="Set KAPCLINIC_RECORDINGS_KEY (or KAPCLINIC_RECORDINGS_KMS) in production.",
            id="kapclinic.recordings.W001",
        )
    ]
