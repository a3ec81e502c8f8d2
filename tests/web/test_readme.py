"""The README says what exists: every app is named, and nothing planned is claimed as built."""

from pathlib import Path

import kapclinic

SOURCE = Path(kapclinic.__file__).parent
README = (SOURCE.parents[1] / "README.md").read_text()


def test_every_app_is_named_in_the_readme() -> None:
    apps = {p.parent.name for p in SOURCE.glob("*/apps.py")}
    layout = README.split("## Layout", 1)[1]
    assert {app for app in apps if f"`{app}`" not in layout} == set()


# Each capability that was once only planned: its app, and the word the README names it by.
CAPABILITIES = {
    "outcomes": "clinic dashboards",
    "sharedcare": "letters",
    "billing": "billing",
    "fhir": "FHIR",
}


def test_the_readme_claims_exactly_the_capabilities_that_exist() -> None:
    intro = README.split("## The two commands", 1)[0].lower()
    built, _, planned = intro.partition("planned, not built yet")
    assert "built so far" not in intro
    for app, word in CAPABILITIES.items():
        if (SOURCE / app).exists():
            assert word.lower() in built and word.lower() not in planned, (app, word)
        else:
            assert word.lower() not in built, (app, word)
