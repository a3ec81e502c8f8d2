"""Plain text for people (emails and their subjects): rendered without HTML escaping.

The "text" template engine (settings.TEMPLATES) has autoescape off, so "D'Arcy" stays
"D'Arcy" in an email instead of "D&#x27;Arcy". Every plain-text template goes through here.
"""

from typing import Any

from django.template import engines


def render_text(template_name: str, context: dict[str, Any] | None = None) -> str:
    """The template rendered as plain text, in the active language."""
    if not template_name.endswith(".txt"):  # HTML must keep its escaping
        raise ValueError(f"{template_name} is not a plain-text (.txt) template")
    return engines["text"].get_template(template_name).render(context or {})


def render_subject(template_name: str, context: dict[str, Any] | None = None) -> str:
    """An email subject: one line, no HTML escaping."""
    return " ".join(render_text(template_name, context).split())
