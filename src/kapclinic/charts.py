"""Server-side SVG charts (matplotlib): the same picture in a page and in a PDF."""

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

matplotlib.rcParams["svg.hashsalt"] = "kapclinic"  # stable ids: the same data, the same SVG


_LIMIT_STYLES = (":", "-.", (0, (1, 3)), (0, (5, 2, 1, 2)), (0, (3, 3)))


def line_chart_svg(
    *,
    title: str,
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    y_label: str,
    y_max: float | None = None,
    target: float | None = None,
    limits: dict[str, float] | None = None,
) -> str:
    """One line per series over shared x labels; an optional dashed target line, and named
    dotted limit lines (a vital sign's acceptable range)."""
    figure, axes = plt.subplots(figsize=(9, 3.2), dpi=100)
    for name, values in series.items():
        axes.plot(
            list(x_labels),
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
            value, linestyle=style, color="#a1261b", linewidth=1, label=f"{name} ({value:g})"
        )
    axes.set_title(title)
    axes.set_ylabel(y_label)
    if y_max is not None:
        axes.set_ylim(0, y_max)
    axes.tick_params(axis="x", labelrotation=45)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def svg_data_uri(svg: str) -> str:
    """For an <img src>: the page's Content Security Policy forbids inline styles, which
    matplotlib's SVG uses; an image document keeps its own styles."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
