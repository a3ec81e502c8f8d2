"""`kapclinic check --deploy` is clean with production settings, and catches the demo switch."""

import os
import re
import subprocess
import sys
from typing import Any

PRODUCTION = {
    "KAPCLINIC_DEBUG": "false",
    "KAPCLINIC_SECRET_KEY": "k" * 20 + "production-secret-with-enough-entropy-1234567890",
    "KAPCLINIC_ALLOWED_HOSTS": "clinic.example.ca",
    "KAPCLINIC_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "KAPCLINIC_DATABASE_URL": "sqlite:///:memory:",
    "KAPCLINIC_RECORDINGS_KEY": "k1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=",
    "KAPCLINIC_AUDIT_KEY": "a-production-audit-key-kept-outside-the-database",
}


def check_deploy(**extra: str) -> subprocess.CompletedProcess[str]:
    # The browser tests relax Django's async guard in this process; production does not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, **PRODUCTION, **extra}
    command = [
        sys.executable,
        "-m",
        "kapclinic.cli",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    ]
    return subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_settings_pass_the_deploy_checks(security_figures: Any) -> None:
    result = check_deploy()
    issues = len(re.findall(r"\([\w.]+\.[EW]\d{3}\)", result.stderr + result.stdout))
    security_figures("check_deploy", warnings=issues, exit_code=result.returncode)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_demo_switch_fails_the_deploy_checks() -> None:
    result = check_deploy(KAPCLINIC_DEMO="true")
    assert result.returncode != 0
    assert "kapclinic.accounts.E001" in result.stderr


def test_recordings_without_a_master_key_fail_the_deploy_checks() -> None:
    result = check_deploy(KAPCLINIC_RECORDINGS_KEY="")
    assert result.returncode == 1
    assert "kapclinic.recordings.W001" in result.stderr + result.stdout


def test_the_demo_audit_key_fails_the_deploy_checks() -> None:
    result = check_deploy(KAPCLINIC_AUDIT_KEY="")
    assert result.returncode == 1
    assert "kapclinic.audit.W001" in result.stderr + result.stdout
