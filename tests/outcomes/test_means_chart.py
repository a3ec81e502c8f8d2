"""The dashboard's means chart: each group's name readable under its own bars."""

import re

from kapclinic.outcomes.charts import means_svg
from kapclinic.outcomes.dashboards import Row


def row(group: str) -> Row:
    return Row(group, 3, 3, 18.0, 8.3, -9.7, 2, 3, 1)


def test_group_names_are_whole_and_do_not_overlap() -> None:
    names = ["Clinique KAP Montréal", "KAP Clinic Vancouver"]
    svg = means_svg([row(name) for name in names], "PHQ-9")
    labels = re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="middle">([^<]*)</text>', svg)
    assert [text for _, text in labels] == names
    # About 6 px a character at font-size 10: the centres are further apart than the names.
    (x1, first), (x2, _) = labels
    assert float(x2) - float(x1) > 6 * len(first)


def test_many_groups_stay_inside_the_chart_with_names_cut() -> None:
    svg = means_svg([row(f"Programme numéro {n}") for n in range(8)], "PHQ-9")
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="middle">', svg)]
    assert max(xs) < 640
    assert "…" in svg
