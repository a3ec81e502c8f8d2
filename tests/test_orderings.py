"""Lists ordered by a time break ties by id: two rows stamped the same second (a bulk import,
a booked series) show in the same order on every page load and in every export."""

import re
from pathlib import Path

import kapclinic

SOURCE = Path(kapclinic.__file__).parent
ORDERING = re.compile(r"(?:order_by\(|ordering\s*=\s*[\[(])([^()\]]*)")
BY_TIME = re.compile(r'_at"|_on"|starts|date"')
TIE_BREAK = re.compile(r'"-?(?:id|pk)"')


def test_every_ordering_by_a_time_ends_with_the_id() -> None:
    untied = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        for match in ORDERING.finditer(text):
            fields = match.group(1)
            if BY_TIME.search(fields) and not TIE_BREAK.search(fields):
                line = text.count("\n", 0, match.start()) + 1
                untied.append(f"{path.relative_to(SOURCE)}:{line}: {match.group(0)}")
    assert untied == []
