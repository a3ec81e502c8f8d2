"""The README says what exists: every app is named, and nothing planned is claimed as built."""

from pathlib import Path

import kapclinic

SOURCE = Path(kapclinic.__file__).parent
README = (SOURCE.parents[1] / "README.md").read_text()
PLANNED = ("sharedcare", "billing")


def test_every_app_is_named_in_the_readme() -> None:
    apps = {p.parent.name for p in SOURCE.glob("*/apps.py")}
    layout = README.split("## Layout", 1)[1]
    assert {app for app in apps if f"`{app}`" not in layout} == set()


def test_what_is_planned_is_marked_planned_and_does_not_exist() -> None:
    built = README.split("Planned, not built yet", 1)[0]
    assert "Built so far" not in README
    intro = built.split("## The two commands", 1)[0]
    for word in ("shared care", "billing"):
        assert word.lower() not in intro.lower(), word
    assert not [app for app in PLANNED if (SOURCE / app).exists()]
