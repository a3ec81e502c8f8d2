"""Every page string has a French translation, and the compiled catalogue matches the source."""

import gettext
from pathlib import Path

import polib

import kapclinic

LOCALE = Path(kapclinic.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def test_every_string_is_translated_to_french() -> None:
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 100


def test_the_compiled_catalogue_matches_the_source() -> None:
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    for entry in polib.pofile(str(LOCALE / "django.po")).translated_entries():
        if entry.msgid_plural:
            continue
        if entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
