"""Data the clinic keeps in both languages (name_en and name_fr, description_en and ...):
the reader's version, or the English one where the French is still blank.

Models call `in_language(self, "name", language)`; templates use the builtin filter
`{{ program|bilingual:"description" }}`, and a model's __str__ gives its name in the active
language, so `{{ program }}` and form choices read right in French too.

A label and its value are joined with `{% colon %}`: "Status: open" in English, "Statut : ouvert"
in French, whose typography puts a no-break space before the colon.
"""

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


def in_language(obj: Any, field: str, language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.startswith("fr") and (french := getattr(obj, f"{field}_fr", "")):
        return str(french)
    return str(getattr(obj, f"{field}_en"))


@register.filter
def bilingual(obj: Any, field: str = "name") -> str:
    return in_language(obj, field)


@register.simple_tag
def colon() -> str:
    """A label's colon in the reader's language: a no-break space before it in French."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return "\u00a0:" if language.startswith("fr") else ":"
