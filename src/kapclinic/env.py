"""Typed readers for KAPCLINIC_* environment variables.

Settings read configuration only through these, so a missing or malformed value
fails at start-up with the variable's name instead of deep inside a request.
"""

import os

from django.core.exceptions import ImproperlyConfigured

PREFIX = "KAPCLINIC_"


def env_str(name: str, default: str | None = None) -> str:
    """The variable KAPCLINIC_<name>, or the default; no default means required."""
    value = os.environ.get(PREFIX + name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {PREFIX}{name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off."""
    raw = os.environ.get(PREFIX + name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """A whole-number variable."""
    raw = os.environ.get(PREFIX + name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list variable."""
    raw = os.environ.get(PREFIX + name, "").strip()
    if raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
