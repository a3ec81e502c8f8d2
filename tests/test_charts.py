"""Charts are drawn once per distinct picture and then read from the cache."""

from typing import Any

import pytest

from kapclinic import charts


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []
    draw = charts._draw_line_chart

    def counting(**kwargs: Any) -> str:
        drawn.append(kwargs["title"])
        return draw(**kwargs)

    monkeypatch.setattr(charts, "_draw_line_chart", counting)
    return drawn


def chart(**changes: Any) -> str:
    inputs: dict[str, Any] = {
        "title": "Vital signs",
        "x_labels": ["1. 10:00", "2. 10:15"],
        "series": {"Pulse": [70, 72], "SpO2": [98, None]},
        "y_label": "bpm",
        "limits": {"pulse max": 110},
    }
    return charts.line_chart_svg(**(inputs | changes))


@pytest.mark.django_db  # Each test has a cache of its own (tests/conftest.py).
def test_the_same_data_is_drawn_once_and_new_data_is_drawn_again(drawings: list[str]) -> None:
    first = chart()
    assert chart() == first and len(drawings) == 1
    assert chart(series={"Pulse": [70, 75], "SpO2": [98, None]}) != first
    assert len(drawings) == 2
    # The legend's order is part of the picture: the same series in another order is redrawn.
    chart(series={"SpO2": [98, None], "Pulse": [70, 72]})
    assert len(drawings) == 3
    chart(title="Signes vitaux")  # another language, another picture
    assert len(drawings) == 4
