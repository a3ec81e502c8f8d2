"""Server-side SVG charts (matplotlib): the same picture in a page and in a PDF."""

import base64
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import matplotlib
from django.core.cache import cache
from django.utils.formats import get_format
from django.utils.translation import get_language

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

matplotlib.rcParams["svg.hashsalt"] = "kapclinic"  # stable ids: the same data, the same SVG


_LIMIT_STYLES = (":", "-.", (0, (1, 3)), (0, (5, 2, 1, 2)), (0, (3, 3)))
# Drawing takes matplotlib about 100 ms; the same data (and words) always give the same SVG, so
# a chart is drawn once and then read from the cache by a hash of everything it shows.
CHART_CACHE_SECONDS = 7 * 24 * 3600
_CHART_VERSION = "3"  # Bump when the drawing changes, so no stale picture is served.
# A tick at each point up to this many; beyond, matplotlib spaces the ticks itself.
_MAX_POINT_TICKS = 16


def line_chart_svg(
    *,
    title: str,
    x: Sequence[date],
    x_format: str,
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    y_max: float | None = None,
    target: float | None = None,
    limits: dict[str, float] | None = None,
) -> str:
    """One line per series over shared x values (dates, or aware datetimes shown in their own
    time zone), ticks written with `x_format` (strftime); an optional dashed target line, and
    named dotted limit lines (a vital sign's acceptable range). Cached by a hash of its inputs.

    The x values are plotted as what they are, on a time axis: strings would be categories,
    evenly spaced whatever the time between them (and matplotlib logs a message each time)."""
    # Lists, not dicts: the order of the series and limits is the order of the legend.
    shown: list[object] = [
        title,
        [value.isoformat() for value in x],
        x_format,
        [[k, list(v)] for k, v in series.items()],
        y_label,
    ]
    # The language too: it writes the numbers (37,5 in French, 37.5 in English).
    shown += [y_max, target, list((limits or {}).items()), get_language()]
    digest = hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()
    key = f"chart:{_CHART_VERSION}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _draw_line_chart(
            title=title,
            x=x,
            x_format=x_format,
            series=series,
            y_label=y_label,
            y_max=y_max,
            target=target,
            limits=limits,
        )
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return svg


def _draw_line_chart(**chart: Any) -> str:
    figure = line_chart_figure(**chart)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def line_chart_figure(
    *,
    title: str,
    x: Sequence[date],
    x_format: str,
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    y_max: float | None = None,
    target: float | None = None,
    limits: dict[str, float] | None = None,
) -> Figure:
    """The chart line_chart_svg draws, as a matplotlib figure (the caller closes it)."""
    figure, axes = plt.subplots(figsize=(9, 3.2), dpi=100)
    days = date2num(list(x))  # matplotlib's own date numbers: days since its epoch, in UTC
    for name, values in series.items():
        axes.plot(
            days,
            [v if v is not None else float("nan") for v in values],
            marker="o",
            label=name,
        )
    if target is not None:
        axes.axhline(target, linestyle="--", color="grey", linewidth=1)
    # Limits are named in the legend, beside the plot: names written on the lines overlapped
    # one another (a diastolic limit of 100 and a pulse limit of 110) and the legend.
    for (name, value), style in zip((limits or {}).items(), _LIMIT_STYLES, strict=False):
        axes.axhline(
            value, linestyle=style, color="#a1261b", linewidth=1, label=f"{name} ({decimal(value)})"
        )
    _date_ticks(axes, x, x_format)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: decimal(value)))
    axes.set_title(title)
    axes.set_ylabel(y_label)
    if y_max is not None:
        axes.set_ylim(0, y_max)
    axes.tick_params(axis="x", labelrotation=45)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    figure.tight_layout()
    return figure


def decimal(value: float) -> str:
    """A number as the active language writes it: 37.5 in English, 37,5 in French."""
    return f"{value:g}".replace(".", str(get_format("DECIMAL_SEPARATOR")))


def _date_ticks(axes: Axes, x: Sequence[date], x_format: str) -> None:
    """A tick at each point (one per written label: two readings in the same minute share
    it) while they are few, written with x_format in the values' own time zone."""
    zone = getattr(x[0], "tzinfo", None) if x else None
    axes.xaxis.set_major_formatter(DateFormatter(x_format, tz=zone))
    ticks: dict[str, date] = {}
    for value in x:
        ticks.setdefault(value.strftime(x_format), value)
    if len(ticks) <= _MAX_POINT_TICKS:
        axes.set_xticks(date2num(list(ticks.values())))
    else:
        axes.xaxis.set_major_locator(AutoDateLocator(tz=zone))


def svg_data_uri(svg: str) -> str:
    """For an <img src>: the page's Content Security Policy forbids inline styles, which
    matplotlib's SVG uses; an image document keeps its own styles."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
