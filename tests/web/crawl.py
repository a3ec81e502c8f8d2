"""Walk the pages a person reaches from the navigation and read their text as a person would.

Shared by the no-codes check (Django's test client, every demo role, both languages) and the
French Chromium walk. "Text" is what a reader sees: element text and the title, never
attributes, scripts or styles.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# A snake_case code: needs_review, suicidal_ideation, and with digits too (zone_1).
CODE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout", "/healthz", "/fhir/", "/admin/")
SKIP_SUFFIXES = (".ics", ".pdf", ".svg", ".csv")


class _Reader(HTMLParser):
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def read(html: str) -> tuple[str, list[str]]:
    """The visible text of a page and the links on it."""
    reader = _Reader()
    reader.feed(html)
    return "\n".join(reader.text), reader.links


def codes_in(text: str) -> list[str]:
    """The snake_case codes in a text (each line kept for the failure message)."""
    return [line for line in text.splitlines() if CODE.search(line)]


def shape(path: str) -> str:
    """Pages that differ only by an id are one page for the walk."""
    return re.sub(r"\d+", "N", path)


def next_links(links: list[str]) -> Iterator[str]:
    for href in links:
        path, _ = urldefrag(href)
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
            continue
        yield path
