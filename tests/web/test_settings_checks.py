"""`kapclinic check` refuses a malformed KAPCLINIC_* structure with the setting's stable id,
instead of the site starting and giving a 500 at the first use."""

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

# Django's own checks (the sites framework, allauth) read the database.
pytestmark = pytest.mark.django_db

MALFORMED = [
    # An unknown limit name, a limit that is not a number, not an object, an empty range.
    ("DOSING_MONITORING_LIMITS", {"pulse_maxx": 110}, "kapclinic.dosing.E001"),
    ("DOSING_MONITORING_LIMITS", {"pulse_max": "high"}, "kapclinic.dosing.E001"),
    ("DOSING_MONITORING_LIMITS", [110], "kapclinic.dosing.E001"),
    ("DOSING_PRE_DOSE_LIMITS", {"pulse_min": 120}, "kapclinic.dosing.E002"),
    ("DOSING_READING_MINUTES", [40, 0], "kapclinic.dosing.E003"),
    ("ELIGIBILITY_RULES", [{"rule": "NoSuchRule"}], "kapclinic.screening.E001"),
    (
        "ELIGIBILITY_RULES",
        [{"rule": "MinimumAge", "options": {"minimum_ages": {"ON": 18}}}],
        "kapclinic.screening.E001",
    ),
    ("ELIGIBILITY_RULES", {"rule": "MinimumAge"}, "kapclinic.screening.E001"),
    ("REQUIRED_CREDENTIALS", {"nurse": ["diploma"]}, "kapclinic.accounts.E002"),
    ("REQUIRED_CREDENTIALS", {"pilot": ["licence"]}, "kapclinic.accounts.E002"),
]


@pytest.mark.parametrize(("name", "value", "check_id"), MALFORMED)
def test_a_malformed_setting_fails_the_check_with_its_id(
    name: str, value: object, check_id: str, settings: Any
) -> None:
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert f"({check_id})" in str(refused.value)
    assert f"KAPCLINIC_{name}" in str(refused.value)


def check(**extra: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "kapclinic.cli", "check"],
        env={**inherited, **extra},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_refuses_each_malformed_variable_by_its_id() -> None:
    """From the environment, as a deployment sets them: every malformed value is named."""
    result = check(
        KAPCLINIC_DOSING_MONITORING_LIMITS=json.dumps({"pulse_maxx": 110}),
        KAPCLINIC_DOSING_PRE_DOSE_LIMITS="[149]",
        KAPCLINIC_DOSING_READING_MINUTES="40,0",
        KAPCLINIC_ELIGIBILITY_RULES=json.dumps([{"rule": "NoSuchRule"}]),
        KAPCLINIC_REQUIRED_CREDENTIALS=json.dumps({"nurse": ["diploma"]}),
    )
    assert result.returncode != 0
    for check_id in ("dosing.E001", "dosing.E002", "dosing.E003", "screening.E001"):
        assert f"(kapclinic.{check_id})" in result.stderr
    assert "(kapclinic.accounts.E002)" in result.stderr


def test_well_formed_settings_pass(settings: Any) -> None:
    settings.DOSING_MONITORING_LIMITS = {"pulse_max": 110, "spo2_min": None}
    settings.DOSING_PRE_DOSE_LIMITS = {"systolic_max": 149}
    settings.DOSING_READING_MINUTES = [0, 30, 60, 120]
    settings.ELIGIBILITY_RULES = [{"rule": "MinimumAge", "options": {}}]
    settings.REQUIRED_CREDENTIALS = {"nurse": ["licence"]}
    call_command("check")
