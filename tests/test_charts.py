"""Charts: drawn once per distinct picture and then read from the cache; dates and times
plotted as what they are."""

import itertools
import logging
import warnings
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib.pyplot as plt
import pytest

from kapclinic import charts

MONTREAL = ZoneInfo("America/Toronto")


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
        "x": [
            datetime(2026, 3, 2, 10, tzinfo=MONTREAL),
            datetime(2026, 3, 2, 10, 15, tzinfo=MONTREAL),
        ],
        "x_format": "%H:%M",
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


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What matplotlib logs while drawing; any Python warning fails the test."""
    with caplog.at_level(logging.INFO, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield caplog


def test_times_and_dates_are_plotted_without_matplotlibs_categorical_message(
    quiet: pytest.LogCaptureFixture,
) -> None:
    """Strings such as '2026-03-02' or '1. 10:00' made matplotlib log "Using categorical units
    to plot a list of strings that are all parsable as floats or dates" at every drawing."""
    charts._draw_line_chart(
        title="Vital signs",
        x=[datetime(2026, 3, 2, 10, m, tzinfo=MONTREAL) for m in (0, 15, 15)],
        x_format="%H:%M",
        series={"Pulse": [70, 72, 71]},
        y_label="bpm",
    )
    charts._draw_line_chart(
        title="SLA",
        x=[date(2026, 2, 23), date(2026, 3, 2)],
        x_format="%Y-%m-%d",
        series={"Montréal": [100, None]},
        y_label="%",
        y_max=100,
        target=100,
    )
    assert [r.getMessage() for r in quiet.records if r.name.startswith("matplotlib")] == []


def test_readings_are_placed_at_their_times_and_labelled_in_the_clinics_time() -> None:
    start = datetime(2026, 3, 2, 10, tzinfo=MONTREAL)
    taken = [start + timedelta(minutes=m) for m in (0, 15, 100)]
    figure = charts.line_chart_figure(
        title="Vital signs", x=taken, x_format="%H:%M", series={"Pulse": [70, 72, 71]}, y_label=""
    )
    try:
        figure.canvas.draw()
        axes = figure.axes[0]
        xs = list(axes.lines[0].get_xdata())
        # 15 minutes, then 85: spaced as taken, not evenly as categories were.
        gaps = [round((b - a) * 24 * 60) for a, b in itertools.pairwise(xs)]
        assert gaps == [15, 85]
        assert [t.get_text() for t in axes.get_xticklabels()] == ["10:00", "10:15", "11:40"]
    finally:
        plt.close(figure)


def test_many_weeks_get_spaced_ticks_not_one_each() -> None:
    weeks = [date(2025, 1, 6) + timedelta(weeks=n) for n in range(52)]
    figure = charts.line_chart_figure(
        title="SLA", x=weeks, x_format="%Y-%m-%d", series={"M": [50.0] * 52}, y_label="%"
    )
    try:
        figure.canvas.draw()
        assert len(figure.axes[0].get_xticks()) < 20
    finally:
        plt.close(figure)


def test_numbers_on_a_chart_use_the_readers_decimal_mark() -> None:
    from django.utils import translation

    with translation.override("fr"):
        assert charts.decimal(37.5) == "37,5" and charts.decimal(110.0) == "110"
        figure = charts.line_chart_figure(
            title="Température",
            x=[date(2026, 3, 2), date(2026, 3, 3)],
            x_format="%d/%m",
            series={"Température": [36.6, 37.2]},
            y_label="°C",
            limits={"Maximum": 37.5},
        )
        figure.canvas.draw()
        ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    plt.close(figure)
    assert any("," in tick for tick in ticks) and not any("." in tick for tick in ticks)
    assert "Maximum (37,5)" in legend
