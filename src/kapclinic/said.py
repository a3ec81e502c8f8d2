"""The clinical rules' sentences in the reader's language.

The pure rules (kapclinic.clinical) say things as English templates with their values
(clinical.reasons.Phrase), marked for the French catalogue. `said` translates each template
and each value that is itself a phrase, then fills the template. It is a template filter
available everywhere (settings: TEMPLATES builtins): `{{ check|said }}`.

What was said is also stored (a signed determination, a discharge's criteria, a reading's
alerts) with `as_stored`, so a page shown years later, in either language, still reads
right; rows stored before phrases were kept fall back to their English sentence.
"""

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from kapclinic.clinical.reasons import Phrase, PhraseValue

register = template.Library()


# A decimal said as digits ("12.5", "12.5 mg"): the pure rules write it with a point.
_DECIMAL = re.compile(r"(?<![\w.])(-?\d+)\.(\d+)(?= mg\b|$)")


def _value(value: PhraseValue) -> str | int | None:
    if isinstance(value, Phrase):
        return translate(value)
    if isinstance(value, str):
        # Written as the reader's language writes a decimal: 12,5 mg in French.
        return _DECIMAL.sub(lambda m: number_format(Decimal(m.group(0))), value)
    return value


def translate(phrase: Phrase) -> str:
    text = gettext(phrase.template)
    if not phrase.values:
        return text
    return text % {key: _value(value) for key, value in phrase.values.items()}


@register.filter
def said(item: Any) -> str:
    """A Refusal, Check, Finding, alert or stored snapshot, in the active language."""
    if isinstance(item, Mapping):
        if "phrases" not in item:
            return str(item.get("sentence", ""))
        return " ".join(translate(p) for p in _loaded(item["phrases"]))
    if isinstance(item, Phrase):
        return translate(item)
    return " ".join(translate(p) for p in phrases(item))


def phrases(item: Any) -> tuple[Phrase, ...]:
    """What the item said, as phrases (a plain sentence is one phrase without values)."""
    return getattr(item, "phrases", None) or (Phrase(item.sentence),)


def said_all(items: Iterable[Any]) -> str:
    return " ".join(said(item) for item in items)


def _dumped(phrase: Phrase) -> dict[str, Any]:
    values = {k: _dumped(v) if isinstance(v, Phrase) else v for k, v in phrase.values.items()}
    return {"template": phrase.template, "values": values}


def _loaded(stored: list[dict[str, Any]]) -> list[Phrase]:
    def load(value: Any) -> PhraseValue:
        return Phrase(value["template"], _values(value)) if isinstance(value, dict) else value

    def _values(entry: dict[str, Any]) -> dict[str, PhraseValue]:
        return {k: load(v) for k, v in entry.get("values", {}).items()}

    return [Phrase(entry["template"], _values(entry)) for entry in stored]


def stored_phrases(*said: Phrase) -> dict[str, Any]:
    """Phrases kept as they were said (a task's title), read later in the reader's language."""
    return {"phrases": [_dumped(p) for p in said]}


def in_english(*said: Phrase) -> str:
    """The English sentence, for logs and the rows stored before phrases were kept."""
    from django.utils import translation

    with translation.override("en"):
        return " ".join(translate(p) for p in said)


def as_stored(item: Any) -> dict[str, Any]:
    """The code, the English sentence and the phrases, for a JSON snapshot."""
    return {
        "code": item.code,
        "sentence": item.sentence,
        "phrases": [_dumped(p) for p in phrases(item)],
    }
