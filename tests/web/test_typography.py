"""French typography: a label's colon takes a no-break space before it ("Statut : ouvert")."""

import re
from pathlib import Path

from django.template import engines
from django.utils import translation

import kapclinic

TEMPLATES = Path(kapclinic.__file__).parent
# A translated label followed by a bare colon outside the translation: French loses its space.
BARE_COLON = re.compile(r"\{% (?:translate|trans) \"[^\"]+\" %\}:")


def test_a_label_colon_has_a_no_break_space_before_it_in_french() -> None:
    page = engines["django"].from_string('{% load i18n %}{% translate "Status" %}{% colon %} open')
    with translation.override("fr"):
        assert page.render({}) == "Statut\u00a0: open"
    with translation.override("en"):
        assert page.render({}) == "Status: open"


def test_no_template_puts_a_bare_colon_after_a_translated_label() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.glob("**/templates/**/*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BARE_COLON.search(line)
    ]
    assert offenders == []
