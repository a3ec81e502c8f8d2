"""Configuration checks for screening, with stable ids: malformed eligibility rules stop
`kapclinic check` (and start-up) instead of giving a 500 at the first screening."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from kapclinic.clinical.eligibility import build_rules


@register()
def eligibility_rules_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    rules = settings.ELIGIBILITY_RULES
    if rules is None:
        return []
    try:
        if not isinstance(rules, list):
            raise TypeError(f"expected a JSON list, got {type(rules).__name__}")
        build_rules(rules)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        return [
            Error(
                f"KAPCLINIC_ELIGIBILITY_RULES is not a valid set of eligibility rules: {error}",
                hint='Give a JSON list such as [{"rule": "MinimumAge", "options": {...}}]; '
                "leave it empty for the documented defaults.",
                id="kapclinic.screening.E001",
            )
        ]
    return []
