"""`make run` tells the app the address it serves, so links in emails open the running demo."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _recipe(**env: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k != "KAPCLINIC_SITE_URL"} | env
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [make, "-n", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_run_sets_the_site_url_from_its_port() -> None:
    assert 'KAPCLINIC_SITE_URL="http://127.0.0.1:8123"' in _recipe(KAPCLINIC_PORT="8123")


def test_a_public_site_url_given_by_the_operator_is_kept() -> None:
    recipe = _recipe(KAPCLINIC_PORT="8123", KAPCLINIC_SITE_URL="https://clinic.example")
    assert 'KAPCLINIC_SITE_URL="https://clinic.example"' in recipe
